"""Documents made in the tests: receipt images and PDFs whose text is known."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont

RECEIPT = [
    "CORNER BAKERY LTD",
    "14 High Street, Leeds",
    "Date: 05/03/2024 10:42",
    "Sourdough loaf        4.50",
    "Flat white            3.20",
    "Almond croissant      2.95",
    "Subtotal             10.65",
    "VAT 20%               2.13",
    "TOTAL                12.78",
    "VISA ending 4321",
]


def receipt_image(lines: list[str] = RECEIPT, *, size: int = 24, width: int = 560) -> Image.Image:
    """Black text on white, in Pillow's built-in font (no system fonts needed)."""
    font = ImageFont.load_default(size=size)
    height = 30 + len(lines) * int(size * 1.7)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((20, 15 + i * int(size * 1.7)), line, font=font, fill=0)
    return img


def encode(img: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **options)
    return buf.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width`` x ``height`` pixels, with one tiny data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )
