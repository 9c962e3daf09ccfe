"""Receipt images: the EXIF tag turns them upright, the truth is what was drawn, sizes stay small."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageOps

from corpus import document, formats, generate, layouts, render, vendors


def _purchase(seed: int) -> document.Purchase:
    rng = random.Random(seed)
    vendor = rng.choice([v for v in vendors.VENDORS if v.kind in vendors.PAPER_KINDS])
    return document.make_purchase(rng, vendor, document.random_day(rng))


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_undoes_the_stored_rotation(orientation: int) -> None:
    rng = random.Random(1)
    paper = layouts.retail(_purchase(1), rng)
    upright_style = replace(render.random_style(rng, "clean"), jpeg_quality=0)
    page = render.draw_rows(paper.rows, upright_style)
    turned = replace(upright_style, orientation=orientation)
    data, ext = render.encode(render.age(page, turned, rng), turned)
    assert ext == "png"
    stored = Image.open(io.BytesIO(data))
    assert stored.getexif()[render.ORIENTATION_TAG] == orientation
    assert stored.size != page.size or orientation == 3
    shown = ImageOps.exif_transpose(stored)
    assert shown.size == page.size
    assert ImageChops.difference(shown.convert("L"), page).getbbox() is None


def test_truth_lines_are_the_rows_drawn_and_hold_the_total() -> None:
    rng = random.Random(2)
    p = _purchase(2)
    paper = layouts.thermal(p, rng)
    _, _, lines = render.render(paper.rows, render.random_style(rng, "thermal"), rng)
    assert lines == [r.text for r in paper.rows if r.text and not r.rule]
    assert any(r.rule for r in paper.rows)
    assert not any(set(line) <= set("=-") for line in lines)
    total = formats.number(paper.total, p.currency, p.style)
    assert any(line.startswith("TOTAL") and line.endswith(total) for line in lines)
    assert paper.vendor.upper() in lines


@pytest.mark.parametrize("preset", render.PRESETS)
def test_presets_give_small_decodable_images(preset: str) -> None:
    rng = random.Random(3)
    for layout in (*layouts.LAYOUTS["seen"], *layouts.LAYOUTS["unseen"], layouts.invoice):
        paper = layout(_purchase(4), rng)
        data, _, _ = render.render(
            paper.rows, render.random_style(rng, preset, wide=layout is layouts.invoice), rng
        )
        img = Image.open(io.BytesIO(data))
        img.load()
        assert 300 <= max(img.size) <= 1200


def test_unknown_preset_is_named() -> None:
    with pytest.raises(ValueError, match="unknown preset 'fax'"):
        render.random_style(random.Random(0), "fax")


def test_ocr_set_is_deterministic_and_covers_every_case(tmp_path: Path) -> None:
    n = len(generate.OCR_CASES)
    rows = generate.write_ocr(tmp_path / "a", n, seed=9)
    again = generate.write_ocr(tmp_path / "b", n, seed=9)
    assert rows == again
    for row in rows:
        assert (tmp_path / "a" / str(row["path"])).read_bytes() == (
            tmp_path / "b" / str(row["path"])
        ).read_bytes()
        assert str(row["text"]).count("\n") + 1 == len(row["lines"])  # type: ignore[arg-type]
    assert {r["preset"] for r in rows} == set(render.PRESETS)
    assert any(r["two_column"] for r in rows)


def test_ocr_set_pdfs_carry_their_text(tmp_path: Path) -> None:
    rows = generate.write_ocr(tmp_path, 0, seed=2, pdf_count=4)
    assert [r["preset"] for r in rows] == ["pdf-text", "pdf-scan", "pdf-text", "pdf-scan"]
    for row in rows:
        doc = pypdfium2.PdfDocument((tmp_path / str(row["path"])).read_bytes())
        layer = " ".join(doc[0].get_textpage().get_text_range().split())
        if row["preset"] == "pdf-text":
            assert layer == " ".join(str(row["text"]).split())
        else:
            assert layer == ""
            assert str(row["vendor"]) in str(row["text"]) or str(row["vendor"]).upper() in str(row["text"])
