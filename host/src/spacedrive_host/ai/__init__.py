"""The host's AI engines: OCR of images and PDFs, and text classification.

Offline by construction: every model ships inside a Python package (tesseract's
language data, the classifier's training data in this package, the sentence
encoder's weights), nothing is fetched at run time. The registry operations
that expose them live in `spacedrive_host.ops.ai`; this package knows nothing
of the wire.
"""

from __future__ import annotations

from .classify import Classifier
from .ocr import OcrEngine, OcrOptions
from .results import OcrLine, OcrPage, OcrResult, OcrWord

__all__ = ["Classifier", "OcrEngine", "OcrLine", "OcrOptions", "OcrPage", "OcrResult", "OcrWord"]
