"""Checking uploaded files in a worker: the web request only stores them (documents.bulk.receive_upload)."""

from celery import shared_task


@shared_task(name="documents.check_upload", ignore_result=True, acks_late=True)
def check_upload(upload_id: int) -> None:
    """Check and import the files of one upload; late acknowledgement is safe (a repeat skips checked files)."""
    from .bulk import check_upload as check
    from .models import Upload

    upload = Upload.objects.filter(pk=upload_id).select_related("dossier", "created_by").first()
    if upload is not None:
        check(upload)
