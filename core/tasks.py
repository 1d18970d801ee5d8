"""Mail goes out from a worker on the `mail` queue (config.settings routes `core.mail.*` there), so that no
web request waits on SMTP and a month-end export run never delays an invitation."""

from celery import shared_task

from core.mail import send_message


# A refused or unreachable SMTP server is retried: the message was promised to the user on screen.
@shared_task(
    name="core.mail.send",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_mail_task(message: dict) -> None:
    send_message(message)
