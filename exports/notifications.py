"""Telling the accountant that an entrepreneur submitted documents: the portal shows unseen submissions on
the dashboard; this mails the dossier's assigned staff member, or the firm's owners when none is assigned."""

from core.mail import send_templated_mail
from firms.models import Membership, User
from firms.tenancy import current_firm

from .models import Submission


def notify_submission(submission: Submission, link: str) -> None:
    firm = current_firm()
    dossier = submission.dossier
    if dossier.assigned_to_id:
        recipients = User.objects.filter(pk=dossier.assigned_to_id, memberships__firm=firm)
    else:
        recipients = User.objects.filter(memberships__firm=firm, memberships__role=Membership.Role.OWNER)
    for user in recipients.distinct():
        send_templated_mail(
            user.email,
            "exports/email/submitted",
            {"dossier": dossier, "submission": submission, "firm": firm, "url": link},
            language=user.language,
        )
