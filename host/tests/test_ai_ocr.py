"""OCR: images and PDFs read for real by tesseract and pdfium, through the engine
and through the `ai.ocr` operations."""

from __future__ import annotations

import sys
from pathlib import Path
from uuid import UUID

import pytest
from documents import RECEIPT, encode, png_header_only, receipt_image, text_pdf
from PIL import Image

from spacedrive_host import Host
from spacedrive_host.ai import OcrEngine, OcrOptions
from spacedrive_host.ai.quality import char_accuracy
from spacedrive_host.errors import InvalidInput, LimitExceeded, NotFound, Unavailable

TRUTH = "\n".join(RECEIPT)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> OcrEngine:
    return OcrEngine(tmp_path_factory.mktemp("ocr-cache"))


def test_a_receipt_image_is_read_with_lines_words_and_boxes(engine: OcrEngine) -> None:
    result = engine.read(encode(receipt_image()), OcrOptions(), use_cache=False)
    assert result.mime == "image/png"
    (page,) = result.pages
    assert page.source == "ocr"
    assert char_accuracy(TRUTH, result.text) >= 0.95, result.text
    total = next(line for line in page.lines if line.text.upper().startswith("TOTAL"))
    label, amount = total.words[0], total.words[-1]
    assert amount.text == "12.78"
    assert label.bbox[2] < amount.bbox[0], "the amount sits right of its label"
    assert 0.5 < amount.confidence <= 1.0
    assert 0 <= total.bbox[0] < total.bbox[2] <= page.width


@pytest.mark.parametrize(("orientation", "turn"), [(6, 270), (8, 90), (3, 180)])
def test_exif_orientation_is_applied_before_reading(engine: OcrEngine, orientation: int, turn: int) -> None:
    upright = receipt_image()
    stored = upright.rotate(-turn, expand=True)  # what a camera writes, with a tag to undo it
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(stored.convert("RGB"), "JPEG", quality=90, exif=exif.tobytes())
    result = engine.read(data, OcrOptions(), use_cache=False)
    assert char_accuracy(TRUTH, result.text) >= 0.93, result.text
    assert (result.pages[0].width, result.pages[0].height) == upright.size


def test_a_page_on_its_side_without_exif_is_turned_upright(engine: OcrEngine) -> None:
    data = encode(receipt_image().rotate(90, expand=True))
    result = engine.read(data, OcrOptions(), use_cache=False)
    assert char_accuracy(TRUTH, result.text) >= 0.9, result.text
    assert result.pages[0].rotation in (90.0, 270.0)


@pytest.mark.parametrize("skew", [2.5, -3.5])
def test_a_skewed_scan_is_turned_level_before_reading(engine: OcrEngine, skew: float) -> None:
    tilted = receipt_image().rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    result = engine.read(encode(tilted), OcrOptions(), use_cache=False)
    turned = (result.pages[0].rotation + 180) % 360 - 180
    assert abs(turned + skew) <= 0.6, f"turned {turned} for a skew of {skew}"
    assert char_accuracy(TRUTH, result.text) >= 0.95, result.text


def test_a_small_blurred_jpeg_is_upscaled_and_read(engine: OcrEngine) -> None:
    from PIL import ImageFilter

    small = receipt_image(size=13, width=300).filter(ImageFilter.GaussianBlur(0.6))
    result = engine.read(encode(small, "JPEG", quality=70), OcrOptions(), use_cache=False)
    assert char_accuracy(TRUTH, result.text) >= 0.85, result.text
    assert result.pages[0].width == 300, "boxes are in the pixels of the image as sent"


def test_a_pdf_text_layer_is_used_with_positions(engine: OcrEngine) -> None:
    result = engine.read(text_pdf(RECEIPT), OcrOptions(), use_cache=False)
    (page,) = result.pages
    assert page.source == "text_layer"
    assert char_accuracy(TRUTH, result.text) >= 0.99, result.text
    total = next(line for line in page.lines if line.text.startswith("TOTAL"))
    assert total.words[-1].text == "12.78"
    assert total.words[0].bbox[2] < total.words[-1].bbox[0]
    assert page.width == round(210 / 25.4 * 300), "A4 at 300 dpi"


def test_a_scanned_pdf_page_is_rendered_and_read(engine: OcrEngine) -> None:
    data = encode(receipt_image().convert("RGB"), "PDF", resolution=150)
    result = engine.read(data, OcrOptions(), use_cache=False)
    assert result.mime == "application/pdf"
    assert result.pages[0].source == "ocr"
    assert char_accuracy(TRUTH, result.text) >= 0.93, result.text


def test_page_ranges_pick_pages_and_refuse_missing_ones(engine: OcrEngine) -> None:
    data = text_pdf(RECEIPT)
    with pytest.raises(InvalidInput, match="has 1 page"):
        engine.read(data, OcrOptions(first_page=2), use_cache=False)
    with pytest.raises(InvalidInput, match="one page"):
        engine.read(encode(receipt_image()), OcrOptions(first_page=2), use_cache=False)


def test_the_same_bytes_are_never_read_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = OcrEngine(tmp_path)
    data = encode(receipt_image())
    first = engine.read(data, OcrOptions())
    assert not first.cached

    def no_more_ocr(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR ran again for cached bytes")

    monkeypatch.setattr(engine.tesseract, "recognize", no_more_ocr)
    again = OcrEngine(tmp_path)  # a new engine (e.g. after a restart) reads the same cache
    monkeypatch.setattr(again.tesseract, "recognize", no_more_ocr)
    for e in (engine, again):
        hit = e.read(data, OcrOptions())
        assert hit.cached
        assert hit.model_copy(update={"cached": False}) == first
    # Other options are another result.
    monkeypatch.undo()
    assert not engine.read(data, OcrOptions(psm=6)).cached


def test_a_damaged_cache_entry_is_recomputed(tmp_path: Path) -> None:
    engine = OcrEngine(tmp_path)
    data = text_pdf(RECEIPT)
    engine.read(data, OcrOptions())
    for entry in tmp_path.rglob("*.json"):
        entry.write_bytes(b"{ not json")
    result = engine.read(data, OcrOptions())
    assert not result.cached
    assert "TOTAL" in result.text


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"hello, this is plain text", "unsupported document type"),
        (encode(receipt_image())[:200], "cannot be decoded"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "PDF cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "cannot be decoded"),
    ],
)
def test_corrupt_or_unsupported_documents_are_invalid_input(
    engine: OcrEngine, data: bytes, match: str
) -> None:
    with pytest.raises(InvalidInput, match=match):
        engine.read(data, OcrOptions(), use_cache=False)


def test_a_decompression_bomb_is_refused_from_its_header(engine: OcrEngine) -> None:
    with pytest.raises(LimitExceeded, match="over the OCR limit"):
        engine.read(png_header_only(40_000, 40_000), OcrOptions(), use_cache=False)


def test_a_huge_scanned_page_is_refused_before_rendering() -> None:
    engine = OcrEngine(None, max_pixels=10_000_000)
    data = encode(Image.new("RGB", (200, 200), "white"), "PDF", resolution=5)  # a 40 x 40 inch page
    with pytest.raises(LimitExceeded, match="lower `dpi`"):
        engine.read(data, OcrOptions(), use_cache=False)


def test_a_missing_engine_is_unavailable_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import tesserocr now fails
    with pytest.raises(Unavailable, match=r"pip install 'spacedrive-host\[ai\]'"):
        OcrEngine(None).read(encode(receipt_image()), OcrOptions())


def test_a_missing_language_is_unavailable_and_names_the_package(engine: OcrEngine) -> None:
    with pytest.raises(Unavailable, match="tessdata-fast-xyz"):
        engine.read(encode(receipt_image()), OcrOptions(language="xyz"), use_cache=False)


# -- through the wire -------------------------------------------------------


def test_ai_ocr_reads_the_tail_through_the_wire(host: Host) -> None:
    data = host.execute("query:ai.ocr.v1", {}, tail=text_pdf(RECEIPT)).data()
    assert data["pages"][0]["source"] == "text_layer"
    assert "TOTAL" in data["text"]
    again = host.execute("query:ai.ocr.v1", {}, tail=text_pdf(RECEIPT)).data()
    assert again["cached"] is True


def test_ai_ocr_errors_reach_callers_as_typed_errors(host: Host) -> None:
    with pytest.raises(InvalidInput, match="unsupported document type"):
        host.execute("query:ai.ocr.v1", {}, tail=b"not a document")
    with pytest.raises(LimitExceeded):
        host.execute("query:ai.ocr.v1", {}, tail=png_header_only(50_000, 50_000))
    with pytest.raises(InvalidInput, match="dpi"):
        host.execute("query:ai.ocr.v1", {"dpi": 10_000}, tail=b"%PDF-")


def test_ai_ocr_entry_reads_a_library_file(host: Host, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "scan.png").write_bytes(encode(receipt_image()))
    lib = host.execute("action:libraries.create.v1", {"name": "docs", "root": str(root)}).data()
    lid = UUID(lib["id"])
    host.execute("action:libraries.index.v1", library_id=lid)
    data = host.execute("query:ai.ocr.entry.v1", {"path": "scan.png"}, library_id=lid).data()
    assert char_accuracy(TRUTH, data["text"]) >= 0.95
    with pytest.raises(NotFound):
        host.execute("query:ai.ocr.entry.v1", {"path": "nope.png"}, library_id=lid)
