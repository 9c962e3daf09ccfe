"""OCR of a document's bytes: images through tesseract, PDFs through their text
layer where they have one and tesseract where they are scanned; cached by
content.

Images are turned upright (EXIF, then tesseract's orientation detection when
the first reading is poor); in a photo the paper is found, warped upright and
cropped, and uneven light or faded print evened out (`paper`); then the image is
deskewed (the angle whose line profile is sharpest), and upscaled when small: tesseract reads
best at a text height of 20-30 px, and receipts photographed or scanned small
lose characters otherwise. Page segmentation defaults to mode 4 (one column of
text of varying sizes): mode 3, tesseract's default, was seen to drop a whole
price column of a receipt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import InvalidInput
from . import pdf
from .cache import ResultCache
from .deskew import skew_angle
from .documents import PDF, open_image, sniff
from .paper import find_paper, flatten
from .results import OcrLine, OcrPage, OcrResult
from .tesseract import Recognition, Tesseract

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["OcrEngine", "OcrOptions"]

#: Part of every cache key: bump it when the pipeline's output changes.
PIPELINE_VERSION = "3"


@dataclass(frozen=True)
class OcrOptions:
    """How to read a document. The defaults suit receipts and invoices."""

    language: str = "eng"
    first_page: int = 1
    last_page: int | None = None
    dpi: int = 300
    psm: int = 4

    def key(self) -> str:
        return json.dumps({"v": PIPELINE_VERSION, **asdict(self)}, sort_keys=True)


class OcrEngine:
    """Reads documents. Thread-safe.

    Args:
        cache_dir: where results are kept by content hash (None: no cache).
        max_pixels: the largest image or rendered page accepted.
        max_pages: the most PDF pages one call reads.
    """

    def __init__(
        self,
        cache_dir: Path | None,
        *,
        max_pixels: int = 50_000_000,
        max_pages: int = 50,
        upscale_below: int = 1000,
        downscale_above: int = 4000,
    ) -> None:
        self.cache: ResultCache[OcrResult] = ResultCache(cache_dir, OcrResult)
        self.tesseract = Tesseract()
        self.max_pixels = max_pixels
        self.max_pages = max_pages
        self.upscale_below = upscale_below
        self.downscale_above = downscale_above

    def read(self, data: bytes, options: OcrOptions, *, use_cache: bool = True) -> OcrResult:
        """The document's text with positions. Raises `InvalidInput` (corrupt or
        unsupported), `LimitExceeded` (too many pixels or pages), `Unavailable`
        (the engine or a language is not installed)."""
        if options.first_page < 1 or (
            options.last_page is not None and options.last_page < options.first_page
        ):
            raise InvalidInput("pages: `first` must be >= 1 and `last` >= `first`")
        mime = sniff(data)
        digest = hashlib.sha256(data).hexdigest()
        key = options.key()
        if use_cache and (hit := self.cache.get(digest, key)) is not None:
            return hit.model_copy(update={"cached": True})
        if mime == PDF:
            pages = self._pdf(data, options)
        else:
            if options.first_page != 1:
                raise InvalidInput(f"an image has one page; page {options.first_page} does not exist")
            pages = [self._image(open_image(data, self.max_pixels), 1, options)]
        result = OcrResult(
            content_hash=digest,
            mime=mime,
            cached=False,
            text="\n\n".join(p.text for p in pages),
            pages=pages,
        )
        if use_cache:
            self.cache.put(digest, key, result)
        return result

    def _pdf(self, data: bytes, options: OcrOptions) -> list[OcrPage]:
        out = []
        for page in pdf.pages(
            data,
            first=options.first_page,
            last=options.last_page,
            dpi=options.dpi,
            max_pages=self.max_pages,
            max_pixels=self.max_pixels,
        ):
            if page.lines is not None:
                out.append(_page(page.number, page.width, page.height, "text_layer", 0.0, page.lines))
            else:
                assert page.image is not None
                out.append(self._image(page.image, page.number, options))
        return out

    def _image(self, image: Image.Image, number: int, options: OcrOptions) -> OcrPage:
        from PIL import Image

        paper = find_paper(image)
        if paper is not None:
            image = paper
        width, height = image.size
        # Before any upscaling: the same light evened out on a quarter of the pixels.
        work = flatten(image)
        factor = 1.0
        if max(width, height) < self.upscale_below:
            factor = 2.0
        elif max(width, height) > self.downscale_above:
            factor = self.downscale_above / max(width, height)
        if factor != 1.0:
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            work = work.resize(size, Image.Resampling.LANCZOS)
        skew = skew_angle(work)
        if abs(skew) >= 0.3:
            work = work.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        best = self.tesseract.recognize(work, language=options.language, psm=options.psm)
        turned = 0
        if best.confidence < 0.6:
            # A poor reading may be a page on its side or upside down.
            degrees = self.tesseract.orientation(work)
            if degrees:
                other = self.tesseract.recognize(
                    work.rotate(degrees, expand=True),
                    language=options.language,
                    psm=options.psm,
                )
                if other.confidence > best.confidence:
                    best, turned = other, degrees
        rotation = (turned + (skew if abs(skew) >= 0.3 else 0.0)) % 360
        lines = _scaled(best, 1.0 / factor)
        w, h = (height, width) if turned in (90, 270) else (width, height)
        return _page(number, w, h, "ocr", round(rotation, 2), lines)


def _scaled(rec: Recognition, k: float) -> list[OcrLine]:
    """Boxes back in the pixels of the page as given (before up- or downscaling)."""
    if k == 1.0:
        return rec.lines

    def box(b: list[int]) -> list[int]:
        return [round(v * k) for v in b]

    return [
        line.model_copy(
            update={
                "bbox": box(line.bbox),
                "words": [w.model_copy(update={"bbox": box(w.bbox)}) for w in line.words],
            }
        )
        for line in rec.lines
    ]


def _page(
    number: int,
    width: int,
    height: int,
    source: Literal["ocr", "text_layer"],
    rotation: float,
    lines: list[OcrLine],
) -> OcrPage:
    return OcrPage(
        number=number,
        width=width,
        height=height,
        source=source,
        rotation=rotation,
        text="\n".join(line.text for line in lines),
        lines=lines,
    )
