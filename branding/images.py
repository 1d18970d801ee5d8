"""Checking and re-encoding uploaded branding images (logo, favicon, login image) with Pillow.

Bytes in, clean bytes out; no storage, no database. Refuses SVG and anything that is not a plain raster
image of an accepted type, files over the size limit and images outside the dimension limits. Dimensions
are read from the header before any pixel is decoded, so a decompression bomb is refused unexpanded. What
comes out is re-encoded from the pixels alone: no EXIF, ICC, text chunks or trailing bytes survive.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 16
# Pillow's process-wide guard (it warns beyond this and refuses beyond twice this; below, the warning is an
# error too). Lowered from Pillow's 89 M pixels, yet roomy enough for a 48 MP phone photo elsewhere in the
# portal; branding's own, smaller limits (KINDS) are checked from the header before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = 8000 * 8000


@dataclass(frozen=True)
class ImageKind:
    formats: tuple[str, ...]
    max_width: int
    max_height: int


RASTER = ("PNG", "JPEG", "WEBP")
KINDS = {
    "logo": ImageKind(RASTER, 2000, 1000),
    "favicon": ImageKind((*RASTER, "ICO"), 512, 512),
    "login_image": ImageKind(RASTER, 4000, 4000),
}
# What each accepted format is stored as: ICO becomes PNG (every browser takes a PNG favicon).
OUTPUT = {"PNG": ("PNG", "png"), "JPEG": ("JPEG", "jpg"), "WEBP": ("WEBP", "webp"), "ICO": ("PNG", "png")}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


class ImageRefused(ValueError):
    """An upload that cannot be used; the message is translated and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def accepted_types(kind: str) -> str:
    return ", ".join("ICO" if f == "ICO" else {"WEBP": "WebP"}.get(f, f) for f in KINDS[kind].formats)


def _looks_like_markup(data: bytes, filename: str) -> bool:
    head = data[:2048].lstrip().lower()
    return filename.lower().endswith((".svg", ".svgz")) or head.startswith(b"<") or b"<svg" in head


def clean_image(data: bytes, filename: str, kind: str) -> CleanImage:
    """Return the upload re-encoded as a clean image of its kind, or raise ImageRefused saying why."""
    spec = KINDS[kind]
    if len(data) > MAX_BYTES:
        raise ImageRefused(_("This file is larger than 2 MB. Please choose a smaller image."))
    if _looks_like_markup(data, filename):
        raise ImageRefused(
            _("SVG and other markup files are not accepted because they can contain scripts. Use %(types)s.")
            % {"types": accepted_types(kind)}
        )
    not_an_image = _("This file is not a valid %(types)s image.") % {"types": accepted_types(kind)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(spec.formats))
            width, height = image.size  # from the header: nothing decoded yet
            if width > spec.max_width or height > spec.max_height:
                raise ImageRefused(
                    _(
                        "This image is %(width)s × %(height)s pixels; at most %(max_width)s × %(max_height)s is "
                        "accepted."
                    )
                    % {"width": width, "height": height, "max_width": spec.max_width, "max_height": spec.max_height}
                )
            if width < MIN_SIDE or height < MIN_SIDE:
                raise ImageRefused(_("This image is too small: at least 16 × 16 pixels, please."))
            source_format = image.format
            image.seek(0)  # the first frame of an animation
            image.load()
            pixels = ImageOps.exif_transpose(image)  # keep a photo upright once its EXIF is gone
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRefused(_("This image declares too many pixels to be opened safely.")) from None
    except (OSError, ValueError, SyntaxError, EOFError, Image.UnidentifiedImageError):
        raise ImageRefused(not_an_image) from None
    output_format, extension = OUTPUT[source_format or ""]
    if output_format == "JPEG":
        pixels = pixels.convert("RGB") if pixels.mode not in ("RGB", "L") else pixels
    elif pixels.mode not in ("RGB", "RGBA", "L", "LA"):
        pixels = pixels.convert("RGBA")
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    if output_format == "JPEG":
        clean.save(buffer, "JPEG", quality=88, optimize=True)
    elif output_format == "WEBP":
        clean.save(buffer, "WEBP", quality=90)
    else:
        clean.save(buffer, "PNG", optimize=True)
    return CleanImage(buffer.getvalue(), extension, clean.width, clean.height)
