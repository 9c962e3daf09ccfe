"""PDF pages through pdfium: the text layer with positions, or a rendering to OCR.

pdfium is not thread-safe, so every call into it holds one lock; its work per
page is short (a text layer ~13 ms, a 300 dpi rendering ~17 ms), the slow part
(OCR of a rendering) runs outside the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, LimitExceeded, Unavailable
from .results import OcrLine, OcrWord

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["PdfPage", "pages"]

_PDFIUM = threading.Lock()
#: A page with fewer printable characters in its text layer is treated as scanned.
MIN_TEXT_CHARS = 16


@dataclass
class PdfPage:
    """One page: its text layer's lines, or (scanned) its rendering."""

    number: int
    width: int
    height: int
    lines: list[OcrLine] | None  # None: no usable text layer
    image: Image.Image | None  # set when lines is None


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError as e:
        raise Unavailable(f"PDF support is not installed ({e}); pip install 'spacedrive-host[ai]'") from None
    return pypdfium2


def pages(
    data: bytes, *, first: int, last: int | None, dpi: int, max_pages: int, max_pixels: int
) -> Iterator[PdfPage]:
    """The pages ``first``..``last`` (1-based, inclusive; ``last`` None: to the end)."""
    pdfium = _pdfium()
    with _PDFIUM:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            raise InvalidInput(f"the PDF cannot be read: {e}") from None
        count = len(doc)
    try:
        end = count if last is None else min(last, count)
        if first > count:
            raise InvalidInput(f"the PDF has {count} page(s); page {first} does not exist")
        if end - first + 1 > max_pages:
            raise LimitExceeded(
                f"{end - first + 1} pages requested, over the limit of {max_pages} per call "
                "(ask for a range with `pages`)"
            )
        scale = dpi / 72.0
        for number in range(first, end + 1):
            with _PDFIUM:
                page = _page(pdfium, doc, number, scale, max_pixels)
            yield page  # outside the lock: the caller may OCR it
    finally:
        with _PDFIUM:
            doc.close()


def _page(pdfium: Any, doc: Any, number: int, scale: float, max_pixels: int) -> PdfPage:
    try:
        page = doc[number - 1]
        w_pt, h_pt = page.get_size()
        width, height = round(w_pt * scale), round(h_pt * scale)
        textpage = page.get_textpage()
        lines = _text_lines(textpage, h_pt, scale)
        textpage.close()
        if sum(len(line.text.replace(" ", "")) for line in lines) >= MIN_TEXT_CHARS:
            page.close()
            return PdfPage(number, width, height, lines, None)
        if width * height > max_pixels:
            raise LimitExceeded(
                f"page {number} renders to {width}x{height} pixels, over the OCR limit of "
                f"{max_pixels} (ask for a lower `dpi`)"
            )
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        page.close()
    except pdfium.PdfiumError as e:
        raise InvalidInput(f"page {number} of the PDF cannot be read: {e}") from None
    return PdfPage(number, width, height, None, image)


def _text_lines(textpage: Any, page_height: float, scale: float) -> list[OcrLine]:
    """The text layer's runs grouped into lines (top to bottom, left to right), in pixels."""
    runs: list[tuple[float, float, float, float, str]] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", " ").replace("\n", " ")
        if text.strip():
            y0, y1 = (page_height - top) * scale, (page_height - bottom) * scale
            runs.append((left * scale, y0, right * scale, y1, text))
    runs.sort(key=lambda r: ((r[1] + r[3]) / 2, r[0]))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for run in runs:
        mid = (run[1] + run[3]) / 2
        if rows:
            last = rows[-1]
            top, bottom = min(r[1] for r in last), max(r[3] for r in last)
            if top <= mid <= bottom:
                last.append(run)
                continue
        rows.append([run])
    lines = []
    for row in rows:
        row.sort(key=lambda r: r[0])
        words = [w for run in row for w in _run_words(run)]
        if not words:
            continue
        box = [
            min(w.bbox[0] for w in words),
            min(w.bbox[1] for w in words),
            max(w.bbox[2] for w in words),
            max(w.bbox[3] for w in words),
        ]
        text = " ".join(w.text for w in words)
        lines.append(OcrLine(text=text, confidence=1.0, bbox=box, block=0, words=words))
    return lines


def _run_words(run: tuple[float, float, float, float, str]) -> list[OcrWord]:
    """A run's words, each given its share of the run's width by character count."""
    x0, y0, x1, y1, text = run
    per_char = (x1 - x0) / max(len(text), 1)
    words = []
    pos = 0
    for token in text.split(" "):
        if token:
            a = x0 + pos * per_char
            b = a + len(token) * per_char
            words.append(OcrWord(text=token, confidence=1.0, bbox=[round(a), round(y0), round(b), round(y1)]))
        pos += len(token) + 1
    return words
