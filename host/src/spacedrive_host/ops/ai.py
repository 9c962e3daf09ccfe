"""``ai.*``: OCR of images and PDFs, and text classification, both offline.

The engines are in `spacedrive_host.ai`; these are their registry faces. A
document is read from the binary tail (`ai.ocr`) or from an entry of the call's
library (`ai.ocr.entry`); both share one result cache keyed by content and
options, so the same bytes are never read twice.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from ..ai import OcrOptions, OcrResult
from ..ai.classify import LABEL_SETS
from ..errors import ErrorCode
from ..wire.registry import Context, Model, Registry, Scope

__all__ = ["register"]

OCR_ERRORS = (ErrorCode.LIMIT_EXCEEDED, ErrorCode.UNAVAILABLE)
LANGUAGE = r"^[a-z]{3}(_[a-z]{2,4})?(\+[a-z]{3}(_[a-z]{2,4})?){0,3}$"
MAX_TEXTS = 64
MAX_TEXT_CHARS = 20_000


class PageRange(Model):
    model_config = ConfigDict(extra="forbid")
    first: int = Field(1, ge=1, le=100_000, description="First page, 1-based.")
    last: int | None = Field(None, ge=1, le=100_000, description="Last page, inclusive; absent: the end.")


class OcrSettings(Model):
    model_config = ConfigDict(extra="forbid")
    mime: str | None = Field(
        None, max_length=100, description="A hint only: the type is recognised from the bytes."
    )
    language: str = Field(
        "eng", pattern=LANGUAGE, description="Tesseract language(s), e.g. `eng` or `eng+deu`."
    )
    pages: PageRange | None = Field(None, description="PDF pages to read; all (up to 50) by default.")
    dpi: int = Field(300, ge=72, le=600, description="Resolution scanned PDF pages are rendered at.")
    psm: int = Field(
        4, ge=3, le=13, description="Tesseract page segmentation mode; 4 (one column) suits receipts."
    )
    cache: bool = Field(True, description="Use and fill the result cache.")

    def options(self) -> OcrOptions:
        pages = self.pages or PageRange()
        return OcrOptions(
            language=self.language, first_page=pages.first, last_page=pages.last, dpi=self.dpi, psm=self.psm
        )


class OcrEntry(OcrSettings):
    path: str = Field(max_length=4096, description="The entry's path in the call's library.")


class ClassifyInput(Model):
    model_config = ConfigDict(extra="forbid")
    texts: list[Annotated[str, Field(max_length=MAX_TEXT_CHARS)]] = Field(
        min_length=1, max_length=MAX_TEXTS, description="The texts to classify, in one batch."
    )
    label_set: str | None = Field(
        None, description=f"A built-in label set: {', '.join(f'`{s}`' for s in LABEL_SETS)}."
    )
    labels: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        None, min_length=2, max_length=64, description="Your own labels (zero-shot), instead of a set."
    )


class LabelScore(Model):
    label: str
    score: float = Field(ge=0.0, le=1.0)


class Classification(Model):
    label: str = Field(description="The most likely label.")
    confidence: float = Field(ge=0.0, le=1.0, description="Its probability.")
    scores: list[LabelScore] = Field(description="Every label's probability, best first.")


class ClassifyOutput(Model):
    model: str = Field(description="Which model answered.")
    results: list[Classification] = Field(description="One per input text, in order.")


def register(registry: Registry) -> None:
    @registry.query("ai.ocr", takes_tail=True, errors=OCR_ERRORS)
    def ocr(ctx: Context, inp: OcrSettings) -> OcrResult:
        """Text, lines and words with confidences and boxes from an image or PDF sent as the tail.

        PDFs with a text layer give it (with positions); scanned pages are
        rendered and recognised."""
        return ctx.services.ocr.read(ctx.tail, inp.options(), use_cache=inp.cache)

    @registry.query("ai.ocr.entry", scope=Scope.LIBRARY, errors=(*OCR_ERRORS, ErrorCode.NOT_FOUND))
    def ocr_entry(ctx: Context, inp: OcrEntry) -> OcrResult:
        """`ai.ocr` of an entry of the call's library, read by the host."""
        assert ctx.library_id is not None
        data = ctx.services.library.read(
            ctx.library_id, inp.path, offset=0, length=None, limit=ctx.services.limits.max_payload_bytes
        )
        return ctx.services.ocr.read(data, inp.options(), use_cache=inp.cache)

    @registry.query("ai.classify_text", errors=(ErrorCode.UNAVAILABLE,))
    def classify_text(ctx: Context, inp: ClassifyInput) -> ClassifyOutput:
        """The best label for each text, with calibrated probabilities, from a built-in set or your labels."""
        found = ctx.services.classifier.classify(inp.texts, label_set=inp.label_set, labels=inp.labels)
        return ClassifyOutput(
            model=ctx.services.classifier.model_name(inp.label_set),
            results=[
                Classification(
                    label=p.label,
                    confidence=round(p.confidence, 6),
                    scores=[LabelScore(label=label, score=round(s, 6)) for label, s in p.scores],
                )
                for p in found
            ],
        )
