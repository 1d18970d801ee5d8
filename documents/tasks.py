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


@shared_task(name="documents.resume_uploads_all_firms", ignore_result=True)
def resume_uploads_all_firms() -> int:
    """Fan out, per firm, the queueing again of uploads whose check was lost."""
    from firms.fanout import for_each_firm

    return for_each_firm(resume_uploads, spread_seconds=0)


@shared_task(name="documents.resume_uploads", ignore_result=True)
def resume_uploads() -> int:
    """Queue again the check of this firm's uploads left unfinished (see bulk.stale_uploads)."""
    from .bulk import stale_uploads

    ids = list(stale_uploads().values_list("pk", flat=True))
    for upload_id in ids:
        check_upload.delay(upload_id)
    return len(ids)
