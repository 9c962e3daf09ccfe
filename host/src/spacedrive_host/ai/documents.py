"""Recognising what a document is from its bytes, and opening images safely.

Untrusted bytes: the type comes from the magic numbers, never from a name or a
caller's hint alone, and an image's pixel count is checked from its header
before a single pixel is decoded (decompression bombs stop there).
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from ..errors import InvalidInput, LimitExceeded

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["IMAGE_TYPES", "PDF", "open_image", "sniff"]

PDF = "application/pdf"
#: What OCR accepts besides PDF, by magic number.
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"BM": "image/bmp",
}


def sniff(data: bytes) -> str:
    """The MIME type of a document OCR can read, from its first bytes."""
    if not data:
        raise InvalidInput("the document is empty (send it as the binary tail, or give a `path`)")
    # PDF readers accept a header within the first KiB; so do we.
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, mime in IMAGE_TYPES.items():
        if data.startswith(magic):
            return mime
    raise InvalidInput(
        "unsupported document type (OCR reads PNG, JPEG, TIFF, WebP, GIF, BMP and PDF); "
        f"it starts with {data[:8]!r}"
    )


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decodes an image, turned upright by its EXIF orientation, as 8-bit grey.

    Raises `LimitExceeded` when its header announces more than ``max_pixels``
    and `InvalidInput` when it is corrupt."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > max_pixels:
                raise LimitExceeded(
                    f"the image is {width}x{height} pixels, over the OCR limit of {max_pixels} pixels"
                )
            img.load()
            upright = ImageOps.exif_transpose(img)
            return upright.convert("L")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise LimitExceeded(f"the image is over the OCR limit of {max_pixels} pixels ({e})") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise InvalidInput(f"the image cannot be decoded: {e}") from None
