"""`copy_media_to_bucket`: a local MEDIA_ROOT into the bucket, every sha256 checked, repeatable."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.storage import stored_sha256
from tests.object_storage import s3_client

FILES = {
    "firm_a/documents/1/aa.xml": b"<Invoice>1</Invoice>",
    "firm_a/coda/bb/bb.cod": b"0" * 128 + b"\n",
    "documents/firm_old/7/cc.xml": b"<Invoice>legacy layout</Invoice>",  # keys of before the schema prefix
    "branding/firm-a/logo-0123456789abcdef0123.png": bytes(range(256)) * 4096,  # 1 MiB: streamed in parts
}


@pytest.fixture
def local_media(tmp_path):
    for name, data in FILES.items():
        path = tmp_path / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path / "media"


def copy(source) -> str:
    out = StringIO()
    call_command("copy_media_to_bucket", source=str(source), stdout=out)
    return out.getvalue()


def test_every_file_lands_under_its_name_with_its_sha256(bucket_storage, local_media):
    assert "4 copied, 0 already in the bucket, 0 failed" in copy(local_media)
    assert bucket_storage.keys() == sorted(FILES)
    for name, data in FILES.items():
        assert stored_sha256(name) == hashlib.sha256(data).hexdigest()
    assert sorted(p.name for p in local_media.rglob("*") if p.is_file()) == sorted(n.rsplit("/", 1)[1] for n in FILES)


def test_a_second_run_copies_nothing_and_a_damaged_object_is_replaced(bucket_storage, local_media):
    copy(local_media)
    s3_client(bucket_storage.endpoint).put_object(
        Bucket=bucket_storage.bucket, Key="firm_a/documents/1/aa.xml", Body=b"damaged"
    )
    assert "1 copied, 3 already in the bucket, 0 failed" in copy(local_media)
    assert stored_sha256("firm_a/documents/1/aa.xml") == hashlib.sha256(FILES["firm_a/documents/1/aa.xml"]).hexdigest()


def test_it_refuses_without_a_bucket_or_a_folder(file_storage, local_media, tmp_path):
    if file_storage.on_bucket:
        with pytest.raises(CommandError, match="is not a folder"):
            copy(tmp_path / "missing")
    else:
        with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME is not set"):
            copy(local_media)
