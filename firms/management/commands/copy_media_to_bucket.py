from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from core.storage import copy_verified


class Command(BaseCommand):
    help = "Copy the files of a local MEDIA_ROOT into the bucket (AWS_STORAGE_BUCKET_NAME), checking every sha256."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT), help="The local folder (MEDIA_ROOT).")

    def handle(self, *args, source, **options):
        if not settings.AWS_STORAGE_BUCKET_NAME:
            raise CommandError("AWS_STORAGE_BUCKET_NAME is not set: there is no bucket to copy into.")
        if not Path(source).is_dir():
            raise CommandError(f"{source} is not a folder.")
        verbose = options["verbosity"] >= 2
        report = copy_verified(
            FileSystemStorage(location=source),
            default_storage,
            progress=lambda name, outcome: verbose and self.stdout.write(f"{outcome}: {name}"),
        )
        self.stdout.write(
            f"{len(report.copied)} copied, {len(report.present)} already in the bucket, "
            f"{len(report.failed)} failed; every copy's sha256 checked"
        )
        if report.failed:
            named = "\n".join(f"  {name}: {why}" for name, why in report.failed)
            raise CommandError(f"{len(report.failed)} file(s) not copied:\n{named}")
