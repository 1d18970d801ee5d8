"""Reading back what a PDF of ours says, for tests (no PDF library needed)."""

import base64
import re
import zlib


def pdf_text(pdf: bytes) -> str:
    """What is drawn on the pages: reportlab writes each page's stream Flate-compressed, ASCII85-encoded."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = stream.strip()
        try:
            data = base64.a85decode(data, adobe=True) if data.endswith(b"~>") else data
            texts.append(zlib.decompress(data).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return "".join(texts)
