"""The human-readable files the portal accepts beside UBL (PDFs and scans), recognised by their first bytes."""

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def sniff(data: bytes) -> str | None:
    """The content type `data` proves to be by its first bytes, or None."""
    return next((mime for magic, mime in SIGNATURES if data.startswith(magic)), None)
