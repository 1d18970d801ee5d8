"""A real S3-compatible server for the tests, and the `file_storage` fixture that runs a test once on local disk
and once on a bucket.

CI (`.ci/run`) starts moto in server mode on 127.0.0.1 and exports TEST_S3_ENDPOINT_URL; anywhere else the
session starts its own moto server (the `moto[server]` package of the test extra) on a free port, so that
`make test` works on any machine.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ACCESS = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-test-secret"}
REGION = "us-east-1"


def reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own test server
            return True
    except OSError as error:
        return getattr(error, "code", None) is not None  # an HTTP answer, even an error, is a server


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a running S3-compatible server: CI's, or a moto server started for this session."""
    url = os.environ.get("TEST_S3_ENDPOINT_URL", "")
    if url and reachable(url):
        yield url
        return
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not reachable(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the moto S3 server did not start on {url}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_client(endpoint: str):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, config=Config(signature_version="s3v4"), **ACCESS
    )


def new_bucket(endpoint: str) -> str:
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def bucket_storage_settings(endpoint: str, bucket: str) -> dict:
    """STORAGES["default"] for the bucket, as settings.py builds it from the AWS_* variables."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": ACCESS["aws_access_key_id"],
            "secret_key": ACCESS["aws_secret_access_key"],
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }


@dataclass
class FileStorage:
    kind: str  # "disk" or "bucket"
    media_root: Path
    endpoint: str = ""
    bucket: str = ""

    @property
    def on_bucket(self) -> bool:
        return self.kind == "bucket"

    def keys(self) -> list[str]:
        """Every stored file's key (bucket) or path relative to MEDIA_ROOT (disk)."""
        if self.on_bucket:
            pages = s3_client(self.endpoint).get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
            return sorted(entry["Key"] for page in pages for entry in page.get("Contents", []))
        return sorted(str(path.relative_to(self.media_root)) for path in self.media_root.rglob("*") if path.is_file())

    def media_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]


def use_file_storage(kind: str, settings, tmp_path_factory, request) -> FileStorage:
    media_root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(media_root)
    if kind == "disk":
        settings.AWS_STORAGE_BUCKET_NAME = ""
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
        return FileStorage("disk", media_root)
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = new_bucket(endpoint)
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage_settings(endpoint, bucket)}
    return FileStorage("bucket", media_root, endpoint, bucket)


@pytest.fixture(params=["disk", "bucket"])
def file_storage(request, settings, tmp_path_factory) -> FileStorage:
    """The test runs twice: files on local disk (a fresh MEDIA_ROOT), then in a fresh bucket of the S3 server
    (MEDIA_ROOT stays empty)."""
    return use_file_storage(request.param, settings, tmp_path_factory, request)


@pytest.fixture
def bucket_storage(request, settings, tmp_path_factory) -> FileStorage:
    """Files in a fresh bucket of the S3 server only."""
    return use_file_storage("bucket", settings, tmp_path_factory, request)
