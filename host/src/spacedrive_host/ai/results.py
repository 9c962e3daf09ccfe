"""What OCR returns: pages of lines of words, each with a confidence and a box."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BBox", "OcrLine", "OcrPage", "OcrResult", "OcrWord"]

#: ``[x0, y0, x1, y1]`` in pixels of the page as OCR saw it, origin top left.
BBox = Annotated[list[int], Field(min_length=4, max_length=4)]


class _Model(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True, frozen=True)


class OcrWord(_Model):
    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    bbox: BBox


class OcrLine(_Model):
    text: str
    confidence: float = Field(ge=0.0, le=1.0, description="The mean of its words' confidences.")
    bbox: BBox
    block: int = Field(description="Index of the layout block the line belongs to (reading order).")
    words: list[OcrWord]


class OcrPage(_Model):
    number: int = Field(description="1-based page number (1 for an image).")
    width: int
    height: int
    source: Literal["ocr", "text_layer"] = Field(
        description="`text_layer`: a PDF's own text, with positions; `ocr`: recognised from pixels."
    )
    rotation: float = Field(description="Degrees the page was turned before recognition (EXIF, deskew).")
    text: str = Field(description="The page's lines in reading order, one per line.")
    lines: list[OcrLine]


class OcrResult(_Model):
    content_hash: str = Field(description="SHA-256 of the document's bytes, hex.")
    mime: str
    cached: bool = Field(description="Whether this came from the result cache (no OCR was run).")
    text: str = Field(description="Every page's text, pages separated by a blank line.")
    pages: list[OcrPage]
