"""Printing a till receipt on thermal paper, then taking it through a flatbed scanner or a
phone camera: what real pictures of receipts look like.

Paper: off-white, the print faded unevenly (thermal heads wear; old receipts fade), creases
and crumpled shading. Scan: the strip at an angle on the scanner glass, lid shadow, soft
focus, JPEG. Photo: the strip on a table or a desk (textured, coloured), seen at a slant
(a true perspective warp), uneven light with a shadow across it, defocus, sensor noise, a
phone's JPEG, often stored sideways with an EXIF orientation tag.
"""

from __future__ import annotations

import io
import math
import random
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from corpus import fonts


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def print_paper(lines: list[tuple[str, str]], width_chars: int, rng: random.Random) -> Image.Image:
    """The receipt as printed: grey-scale, one monospace face, the heading double size."""
    face = rng.choice([f for f in fonts.available() if f.mono])
    size = rng.randint(18, 24)
    font = _font(face.regular, size)
    bold = _font(face.bold, size)
    big = _font(face.bold, round(size * 1.5))
    char_w = font.getlength("M")
    margin = rng.randint(14, 30)
    width = math.ceil(char_w * width_chars) + 2 * margin
    pitch = round(size * rng.uniform(1.25, 1.5))
    height = 2 * margin + sum(round(pitch * (1.5 if st == "big" else 1.0)) for _, st in lines) + 60
    paper = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(paper)
    base_ink = rng.randint(0, 70)
    y = margin + rng.randint(10, 40)
    for text, style in lines:
        ink = min(190, max(0, base_ink + rng.randint(-15, 45)))  # each line its own heat
        if style == "big":
            f = big
            # A double-size heading is centred on the full width.
            x = (width - f.getlength(text.strip())) / 2
            draw.text((x, y), text.strip(), font=f, fill=ink)
            y += round(pitch * 1.5)
            continue
        f = bold if style == "bold" else font
        draw.text((margin, y), text, font=f, fill=ink)
        y += pitch
    return paper


def _grain(rng: random.Random, size: tuple[int, int], sigma: float) -> Image.Image:
    """Grey noise around 128 with about `sigma` spread, from the seeded generator
    (Pillow's own noise draws from C's rand(): not reproducible within one process)."""
    w, h = size
    flat = Image.frombytes("L", (w, h), rng.randbytes(w * h))  # uniform: spread ~74
    return flat.point(lambda v: max(0, min(255, round(128 + (v - 128) * sigma / 74))))


def _fade(paper: Image.Image, rng: random.Random) -> Image.Image:
    """Thermal fading: ink lighter along a band (a worn head) and overall (age)."""
    w, h = paper.size
    band = Image.linear_gradient("L").rotate(90 if rng.random() < 0.5 else 0).resize((w, h))
    strength = rng.uniform(0.0, 0.45)
    lift = band.point(lambda v: round(v * strength))  # how much lighter ink gets here
    inv = ImageOps.invert(paper)  # ink as bright
    faded = ImageChops.subtract(inv, ImageChops.multiply(inv, lift.point(lambda v: min(255, v * 2))))
    return ImageOps.invert(faded)


def _crumple(img: Image.Image, rng: random.Random, amount: float) -> Image.Image:
    """Low-frequency shading and a few creases: a receipt kept in a pocket."""
    w, h = img.size
    small = _grain(rng, (max(2, w // 40), max(2, h // 40)), 60).filter(ImageFilter.GaussianBlur(1.2))
    shade = small.resize((w, h), Image.Resampling.BICUBIC)
    shade = shade.point(lambda v: round(255 - max(0, v - 128) * amount))
    draw = ImageDraw.Draw(shade)
    for _ in range(rng.randint(0, 3)):
        y = rng.randint(0, h)
        tilt = rng.randint(-h // 30, h // 30)
        draw.line([(0, y), (w, y + tilt)], fill=rng.randint(170, 215), width=rng.randint(2, 4))
    shade = shade.filter(ImageFilter.GaussianBlur(1.5))
    if img.mode != "L":
        shade = Image.merge("RGB", [shade] * 3)
    return ImageChops.multiply(img, shade)


def _coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> tuple[float, ...]:
    """PIL PERSPECTIVE coefficients mapping output points `dst` to input points `src`
    (an 8x8 linear system, solved by Gaussian elimination)."""
    a: list[list[float]] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    n = 8
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[col][col]:
                f = a[r][col] / a[col][col]
                a[r] = [rv - f * cv for rv, cv in zip(a[r], a[col], strict=True)]
    return tuple(a[i][n] / a[i][i] for i in range(n))


def _table(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A surface to lay the receipt on: wood-ish streaks, a desk mat, a dark counter."""
    w, h = size
    base = tuple(rng.randint(40, 170) for _ in range(3))
    grain = _grain(rng, (w // 4 + 1, h // 4 + 1), 40).resize((w, h), Image.Resampling.BICUBIC)
    if rng.random() < 0.5:  # streaks along one direction
        grain = grain.resize((w, max(1, h // 30))).resize((w, h), Image.Resampling.BICUBIC)
    layers = [grain.point(lambda v, b=b: max(0, min(255, b + (v - 128) // 2))) for b in base]
    return Image.merge("RGB", layers)


def _light(size: tuple[int, int], rng: random.Random, depth: float) -> Image.Image:
    """Uneven light: a gradient across the frame and a soft shadow (the phone, a hand)."""
    w, h = size
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360), fillcolor=128).resize((w, h))
    light = light.point(lambda v: round(255 - v * depth))
    if rng.random() < 0.6:
        shadow = Image.new("L", (w, h), 255)
        d = ImageDraw.Draw(shadow)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.25, 0.6) * max(w, h)
        d.ellipse([cx - r, cy - r * 0.6, cx + r, cy + r * 0.6], fill=rng.randint(120, 190))
        shadow = shadow.filter(ImageFilter.GaussianBlur(max(w, h) / 25))
        light = ImageChops.multiply(light, shadow)
    return Image.merge("RGB", [light] * 3)


def scan(paper: Image.Image, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """A flatbed scan: the strip slightly crooked on a light bed, soft, compressed."""
    feats = ["scan"]
    img = _fade(paper, rng)
    if rng.random() < 0.5:
        img = _crumple(img, rng, rng.uniform(0.3, 0.9))
        feats.append("crumpled")
    angle = rng.uniform(-4, 4)
    bed = rng.randint(200, 245)
    pad = rng.randint(20, 120)
    canvas = Image.new("L", (img.width + 2 * pad, img.height + 2 * pad), bed)
    canvas.paste(img, (pad + rng.randint(-pad // 2, pad // 2), pad))
    img = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=bed)
    feats.append(f"skew-{abs(angle):.0f}")
    # Scanned at a lower resolution than printed, then blurred a little and grainy.
    scale = rng.uniform(0.55, 0.9)
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    noise = _grain(rng, img.size, rng.uniform(6, 18))
    img = Image.blend(img, ImageChops.multiply(img, noise.point(lambda v: min(255, v + 110))), 0.5)
    return img, feats


def photo(paper: Image.Image, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """A phone photo: the strip on a table, a perspective slant, uneven light, defocus."""
    feats = ["photo"]
    img = _fade(paper, rng)
    img = _crumple(img, rng, rng.uniform(0.4, 1.2))
    tint = (rng.randint(235, 255), rng.randint(230, 250), rng.randint(215, 240))
    rgb = Image.merge("RGB", [img.point(lambda v, t=t: v * t // 255) for t in tint])
    pw, ph = rgb.size
    # The frame: the paper fills 45-80% of the height, the table around it.
    fill = rng.uniform(0.45, 0.8)
    fh = round(ph / fill)
    fw = max(round(fh * rng.uniform(0.6, 0.8)), round(pw * 1.25))
    frame = _table((fw, fh), rng)
    ox, oy = (fw - pw) / 2 + rng.uniform(-0.1, 0.1) * fw, (fh - ph) / 2
    j = rng.uniform(0.02, 0.09)

    def jit(x: float, y: float) -> tuple[float, float]:
        return (x + rng.uniform(-j, j) * pw, y + rng.uniform(-j, j) * ph)

    corners = [jit(ox, oy), jit(ox + pw, oy), jit(ox + pw, oy + ph), jit(ox, oy + ph)]
    src = [(0.0, 0.0), (float(pw), 0.0), (float(pw), float(ph)), (0.0, float(ph))]
    coeffs = _coeffs(src, corners)
    warped = rgb.transform((fw, fh), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", rgb.size, 255).transform(
        (fw, fh), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    # A soft drop shadow under the paper.
    shadow = mask.filter(ImageFilter.GaussianBlur(12)).point(lambda v: 255 - v // 3)
    frame = ImageChops.multiply(frame, Image.merge("RGB", [shadow] * 3))
    frame.paste(warped, (0, 0), mask)
    frame = ImageChops.multiply(frame, _light((fw, fh), rng, rng.uniform(0.15, 0.5)))
    frame = frame.rotate(
        rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC, fillcolor=frame.getpixel((0, 0))
    )
    feats.append(f"slant-{j:.2f}")
    # A phone's picture: 1600-2600 px on the long side, soft focus, sensor noise.
    long_side = rng.randint(1600, 2600)
    k = long_side / max(frame.size)
    frame = frame.resize((round(frame.width * k), round(frame.height * k)), Image.Resampling.LANCZOS)
    frame = frame.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.8)))
    noise = Image.merge("RGB", [_grain(rng, frame.size, rng.uniform(8, 20))] * 3)
    frame = Image.blend(frame, ImageChops.multiply(frame, noise.point(lambda v: min(255, v + 100))), 0.4)
    return frame, feats


def picture(
    lines: list[tuple[str, str]], width_chars: int, how: str, rng: random.Random
) -> tuple[bytes, list[str]]:
    """JPEG bytes of the receipt scanned (`how` "scan") or photographed ("photo")."""
    paper = print_paper(lines, width_chars, rng)
    img, feats = scan(paper, rng) if how == "scan" else photo(paper, rng)
    exif = Image.Exif()
    if how == "photo" and rng.random() < 0.35:
        # Stored sideways as the sensor saw it; the tag says how to turn it upright.
        img = img.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
        feats.append("exif-6")
    out = io.BytesIO()
    quality = rng.randint(45, 80) if how == "scan" else rng.randint(60, 88)
    img.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    feats.append(f"jpeg-{quality}")
    return out.getvalue(), feats
