"""Draw rows of text as a receipt image and age it: fonts, skew, EXIF rotation, blur, noise,
JPEG artefacts, thermal fading and photo-like perspective and light.

The ground-truth text is the rows as drawn (a row's left and right parts joined by one space,
decorative rules left out), which is what an OCR engine reading line by line should return.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, replace

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from corpus import fonts

ORIENTATION_TAG = 0x0112
# EXIF orientation -> how the stored pixels are turned from upright (undone by exif_transpose).
_STORE_TRANSPOSE = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class Row:
    """One printed line: `left` at the margin, `right` flush right; or `center`ed text."""

    left: str = ""
    right: str = ""
    center: bool = False
    scale: float = 1.0
    bold: bool = False
    rule: bool = False  # a decorative ---- or ==== line: drawn, but not text an OCR engine should return

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.left, self.right) if p)


@dataclass(frozen=True)
class Style:
    """How a document looks on paper and through the camera or scanner."""

    face: str
    size: int
    width: int
    ink: int = 0  # 0 black .. ~150 faded
    skew: float = 0.0  # degrees
    orientation: int = 1  # EXIF: 1 upright, 3 180, 6/8 quarter turns
    blur: float = 0.0
    noise: float = 0.0  # 0..1 share of random grain mixed in
    jpeg_quality: int = 90  # 0: PNG
    photo: bool = False
    thermal: bool = False

    def describe(self) -> dict[str, object]:
        return dict(self.__dict__.items())


PRESETS = ("clean", "scan", "thermal", "photo", "rotated")


def random_style(rng: random.Random, preset: str, *, wide: bool = False) -> Style:
    """A style of the given preset with randomised details; `wide` for A4-ish invoices."""
    faces = fonts.available()
    mono = [f for f in faces if f.mono]
    prop = [f for f in faces if not f.mono]
    if preset == "thermal":
        face = rng.choice(mono)
        return Style(
            face=face.name,
            size=rng.randint(15, 19),
            width=rng.randint(380, 460),
            ink=rng.randint(40, 120),
            skew=rng.uniform(-1.5, 1.5),
            blur=rng.choice((0.0, 0.4, 0.7)),
            noise=rng.uniform(0.0, 0.12),
            jpeg_quality=rng.randint(55, 90),
            thermal=True,
        )
    face = rng.choice(prop + mono[:1])
    base = Style(
        face=face.name,
        size=rng.randint(16, 22) if not wide else rng.randint(15, 18),
        width=rng.randint(480, 620) if not wide else rng.randint(820, 980),
    )
    if preset == "clean":
        return replace(base, jpeg_quality=rng.choice((0, 92, 95)))
    if preset == "scan":
        return replace(
            base,
            ink=rng.randint(0, 50),
            skew=rng.uniform(-3, 3),
            blur=rng.uniform(0.3, 1.0),
            noise=rng.uniform(0.03, 0.15),
            jpeg_quality=rng.randint(35, 85),
        )
    if preset == "rotated":
        return replace(
            base,
            orientation=rng.choice((3, 6, 8)),
            skew=rng.uniform(-1.5, 1.5),
            blur=rng.choice((0.0, 0.5)),
            jpeg_quality=rng.randint(60, 90),
        )
    if preset == "photo":
        return replace(
            base,
            ink=rng.randint(10, 60),
            skew=rng.uniform(-3, 3),
            blur=rng.uniform(0.3, 0.8),
            noise=rng.uniform(0.02, 0.08),
            jpeg_quality=rng.randint(55, 85),
            photo=True,
            orientation=rng.choice((1, 1, 1, 6)),
        )
    raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")


_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    key = (path, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(path, size)
    return _FONT_CACHE[key]


def draw_rows(rows: list[Row], style: Style) -> Image.Image:
    """The upright, unaged page: grey-scale, white paper."""
    face = next(f for f in fonts.available() if f.name == style.face)
    margin = max(18, style.size)
    gap = style.size * 2
    laid = []
    width = style.width
    for row in rows:
        size = max(8, round(style.size * row.scale))
        font = _font(face.bold if row.bold else face.regular, size)
        lw = font.getlength(row.left) if row.left else 0.0
        rw = font.getlength(row.right) if row.right else 0.0
        need = lw + rw + (gap if row.left and row.right else 0) + 2 * margin
        width = max(width, math.ceil(need))
        laid.append((row, font, size, lw, rw))
    height = 2 * margin + sum(round(s * 1.45) for _, _, s, _, _ in laid)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y = margin
    for row, font, size, lw, rw in laid:
        ink = style.ink
        if style.thermal and style.ink:
            ink = min(200, max(0, ink + random.Random(row.text).randint(-30, 30)))
        if row.center:
            draw.text(((width - lw - rw) / 2, y), row.text, font=font, fill=ink)
        else:
            if row.left:
                draw.text((margin, y), row.left, font=font, fill=ink)
            if row.right:
                draw.text((width - margin - rw, y), row.right, font=font, fill=ink)
        y += round(size * 1.45)
    return page


def _noise(img: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    grain = Image.frombytes("L", img.size, rng.randbytes(img.width * img.height))
    grain = grain.filter(ImageFilter.GaussianBlur(0.6))
    if img.mode != "L":
        grain = grain.convert(img.mode)
    return Image.blend(img, grain, amount)


def _photo(page: Image.Image, rng: random.Random) -> Image.Image:
    """On a table, seen at a slant, under uneven light."""
    pad_x, pad_y = page.width // 6, page.height // 10
    table = tuple(rng.randint(60, 150) + d for d in (20, 10, 0))
    canvas = Image.new("RGB", (page.width + 2 * pad_x, page.height + 2 * pad_y), table)
    paper = Image.merge("RGB", [page.point(lambda v, t=t: v * t // 255) for t in (250, 246, 236)])
    canvas.paste(paper, (pad_x, pad_y))
    w, h = canvas.size
    j = min(pad_x, pad_y) * 0.6

    def jit() -> float:
        return rng.uniform(-j, j)

    # QUAD maps this source quadrilateral onto the whole output: a cheap perspective.
    quad = (jit(), jit(), jit(), h + jit(), w + jit(), h + jit(), w + jit(), jit())
    warped = canvas.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=table)
    # Light falls off from one side: multiply by a soft gradient.
    depth = rng.uniform(0.25, 0.5)
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360), fillcolor=128).resize((w, h))
    light = light.point(lambda v: round(255 - v * depth))
    return ImageChops.multiply(warped, Image.merge("RGB", [light, light, light]))


def age(page: Image.Image, style: Style, rng: random.Random) -> Image.Image:
    """Apply the style's paper, optics and scanner effects to an upright page."""
    img: Image.Image = page
    if style.blur:
        img = img.filter(ImageFilter.GaussianBlur(style.blur))
    if style.photo:
        img = _photo(img, rng)
    if style.skew:
        fill: int | tuple[int, ...] = 255 if img.mode == "L" else (40, 40, 40)
        img = img.rotate(style.skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    if style.noise:
        img = _noise(img, style.noise, rng)
    longest = max(img.size)
    if longest > 1200:
        f = 1200 / longest
        img = img.resize((round(img.width * f), round(img.height * f)), Image.Resampling.LANCZOS)
    if style.orientation in _STORE_TRANSPOSE:
        img = img.transpose(_STORE_TRANSPOSE[style.orientation])
    return img


def encode(img: Image.Image, style: Style) -> tuple[bytes, str]:
    """The image file's bytes and its extension; the EXIF orientation tag says how to turn it upright."""
    out = io.BytesIO()
    exif = Image.Exif()
    if style.orientation != 1:
        exif[ORIENTATION_TAG] = style.orientation
    if style.jpeg_quality:
        img.save(out, "JPEG", quality=style.jpeg_quality, exif=exif.tobytes())
        return out.getvalue(), "jpg"
    img.save(out, "PNG", exif=exif.tobytes() if style.orientation != 1 else None)
    return out.getvalue(), "png"


def render(rows: list[Row], style: Style, rng: random.Random) -> tuple[bytes, str, list[str]]:
    """Image bytes, extension and the exact text lines drawn."""
    page = draw_rows(rows, style)
    data, ext = encode(age(page, style, rng), style)
    return data, ext, text_lines(rows)


def text_lines(rows: list[Row]) -> list[str]:
    """The ground-truth lines: every row with text, decorative rules left out."""
    return [r.text for r in rows if r.text and not r.rule]
