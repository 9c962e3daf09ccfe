"""Photos before OCR: the paper found against a table and made upright, uneven light and
faded print evened out; scans and evenly lit pages left as they are."""

from __future__ import annotations

import numpy as np
import pytest
from documents import RECEIPT, encode, receipt_image
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from spacedrive_host.ai import OcrEngine, OcrOptions
from spacedrive_host.ai.paper import find_paper, flatten
from spacedrive_host.ai.quality import char_accuracy

TRUTH = "\n".join(RECEIPT)


def _shadowed(page: Image.Image, depth: int = 120) -> Image.Image:
    """A soft dark shadow over the right two thirds of the page (a phone held above it)."""
    shade = Image.new("L", page.size, 255)
    ImageDraw.Draw(shade).rectangle([page.width // 3, 0, page.width, page.height], fill=255 - depth)
    return ImageChops.multiply(page, shade.filter(ImageFilter.GaussianBlur(25)))


def _photo(page: Image.Image) -> Image.Image:
    """The page on a dark table, seen at a slant (its corners moved unevenly), in shadow."""
    w, h = page.size
    table = Image.new("L", (w * 2, h * 2), 70)
    table = Image.blend(table, Image.effect_noise(table.size, 30), 0.3)
    paper = _shadowed(page, 90).point(lambda v: v * 235 // 255 + 10)
    table.paste(paper, (w // 2, h // 2))
    # QUAD: the output's corners (upper left, lower left, lower right, upper right) come from
    # these points of the input: uneven, so the page inside is seen at a slant.
    corners = (w * 0.2, h * 0.05, -w * 0.05, h * 2.0, w * 2.1, h * 1.9, w * 1.9, -h * 0.1)
    return table.transform(table.size, Image.Transform.QUAD, corners, Image.Resampling.BICUBIC, fillcolor=70)


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return OcrEngine(None)


def test_the_paper_of_a_photo_is_found_and_cropped() -> None:
    page = receipt_image()
    photo = _photo(page)
    paper = find_paper(photo)
    assert paper is not None
    # The table is gone: the result is about the paper's size and shape.
    assert 0.8 < paper.width / page.width < 1.3, (paper.size, page.size)
    aspect, want = paper.width / paper.height, page.width / page.height
    assert abs(aspect - want) / want < 0.25, (paper.size, page.size)


def test_a_scan_filling_the_frame_is_left_alone() -> None:
    assert find_paper(receipt_image()) is None
    grey_bed = Image.new("L", (700, 500), 230)
    grey_bed.paste(receipt_image(), (40, 40))
    assert find_paper(grey_bed) is None, "nothing stands out from a light scanner bed"


def test_even_light_and_dark_print_are_not_touched() -> None:
    page = receipt_image()
    assert flatten(page) is page


def test_a_shadow_no_longer_decides_what_is_ink() -> None:
    page = _shadowed(receipt_image(), 150)
    flat = flatten(page)
    assert flat is not page
    # The paper under the shadow is white again; the ink there still dark.
    right = np.asarray(flat.crop((page.width // 3 + 40, 0, page.width, page.height)))
    assert float(np.median(right)) > 240
    assert int(right.min()) < 80


def test_a_photo_reads_like_a_scan(engine: OcrEngine) -> None:
    data = encode(_photo(receipt_image()).convert("RGB"), "JPEG", quality=85)
    result = engine.read(data, OcrOptions(), use_cache=False)
    assert char_accuracy(TRUTH, result.text) >= 0.9, result.text
    assert any(line.text.endswith("12.78") for line in result.pages[0].lines), result.text
