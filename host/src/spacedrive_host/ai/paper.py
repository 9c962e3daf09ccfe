"""Finding the paper in a photo and evening out its light, before OCR.

A phone photo of a receipt shows a table around the paper, the paper at a slant
(a perspective, not a rotation), and light that falls off across it or a shadow
over part of it. Tesseract binarises with one global threshold: a shadowed
corner goes black and a faded amount goes white, and the table's texture is read
as characters. So, before OCR:

- `find_paper`: the largest bright region that stands out from its surroundings
  (the paper against a darker table) is located on a reduced copy; when it is a
  quadrilateral, it is warped to an upright rectangle (its four corners to the
  corners of the output), else cropped to its box. A scan (the page fills the
  frame, or nothing stands out) is left alone.
- `flatten`: the paper's own brightness is estimated at every point (a maximum
  filter wider than a character removes the ink, a blur smooths it) and the
  image divided by it: paper becomes white everywhere, ink keeps its contrast
  to the paper under it, so a shadow or a fade no longer decides what is ink.
  Only done where the light is uneven or the ink faint: an evenly lit, dark
  print is read as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["find_paper", "flatten"]

#: The reduced copy's longest side for locating the paper.
_LOCATE_SIDE = 400
#: The paper must cover this share of the frame (smaller: not a receipt photo; larger: a scan).
_MIN_AREA, _MAX_AREA = 0.12, 0.9
#: Grey levels by which the paper must be brighter than what surrounds it.
_MIN_CONTRAST = 35.0


def _otsu(values: object) -> float:
    import numpy as np

    hist, edges = np.histogram(np.asarray(values), bins=256, range=(0, 256))
    total = hist.sum()
    if not total:
        return 128.0
    levels = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    w0, w1 = weight, total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * w0 - mean * total) ** 2 / (w0 * w1)
    between = np.nan_to_num(between)
    return float(levels[int(np.argmax(between))])


def _solve_perspective(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> tuple[float, ...]:
    """PIL's PERSPECTIVE coefficients: output point (x, y) in `dst` maps to input `src`."""
    import numpy as np

    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solved = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    return tuple(float(c) for c in solved)


def find_paper(image: Image) -> Image | None:
    """The paper of a photo, upright and cropped (None when no paper stands out from a
    background: a scan, a page filling the frame, a receipt on a white table)."""
    import numpy as np
    from PIL import Image as PilImage
    from PIL import ImageFilter
    from scipy import ndimage

    scale = min(1.0, _LOCATE_SIDE / max(image.size))
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    small = small.filter(ImageFilter.GaussianBlur(2))
    arr = np.asarray(small, dtype=np.float64)
    bright = arr > _otsu(arr)
    bright = ndimage.binary_opening(bright, iterations=2)
    labels, count = ndimage.label(bright)
    if not count:
        return None
    sizes = ndimage.sum_labels(bright, labels, index=np.arange(1, count + 1))
    mask = labels == int(np.argmax(sizes)) + 1
    mask = ndimage.binary_fill_holes(mask)
    share = float(mask.mean())
    if not _MIN_AREA <= share <= _MAX_AREA:
        return None
    around = ndimage.binary_dilation(mask, iterations=6) & ~mask
    if not around.any() or float(arr[mask].mean() - arr[around].mean()) < _MIN_CONTRAST:
        return None
    ys, xs = np.nonzero(mask)
    s, d = xs + ys, xs - ys
    quad = [
        (xs[np.argmin(s)], ys[np.argmin(s)]),  # top left
        (xs[np.argmax(d)], ys[np.argmax(d)]),  # top right
        (xs[np.argmax(s)], ys[np.argmax(s)]),  # bottom right
        (xs[np.argmin(d)], ys[np.argmin(d)]),  # bottom left
    ]
    qx = np.array([p[0] for p in quad], dtype=np.float64)
    qy = np.array([p[1] for p in quad], dtype=np.float64)
    quad_area = 0.5 * abs(float(np.dot(qx, np.roll(qy, -1)) - np.dot(qy, np.roll(qx, -1))))
    k = 1 / scale
    if quad_area >= 0.9 * mask.sum() and quad_area <= 1.15 * mask.sum():
        # A quadrilateral: warp its corners (pushed out 1% from the centre) to a rectangle.
        cx, cy = qx.mean(), qy.mean()
        corners = [((x - cx) * 1.01 + cx) * k for x in qx], [((y - cy) * 1.01 + cy) * k for y in qy]
        pts = list(zip(corners[0], corners[1], strict=True))
        width = round((np.hypot(*np.subtract(pts[1], pts[0])) + np.hypot(*np.subtract(pts[2], pts[3]))) / 2)
        height = round((np.hypot(*np.subtract(pts[3], pts[0])) + np.hypot(*np.subtract(pts[2], pts[1]))) / 2)
        if width < 50 or height < 50:
            return None
        rect = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
        coeffs = _solve_perspective([(float(x), float(y)) for x, y in pts], rect)
        return image.transform(
            (width, height),
            PilImage.Transform.PERSPECTIVE,
            coeffs,
            PilImage.Resampling.BICUBIC,
            fillcolor=255,
        )
    # Not four straight sides (curled, torn, partly covered): its box.
    x0, x1 = int(xs.min() * k), int((xs.max() + 1) * k)
    y0, y1 = int(ys.min() * k), int((ys.max() + 1) * k)
    return image.crop((x0, y0, x1, y1))


def flatten(image: Image) -> Image:
    """The image divided by its paper's brightness (ink kept, light evened out), when the
    light is uneven or the ink faint; else the image itself."""
    import numpy as np
    from PIL import Image as PilImage
    from PIL import ImageFilter

    factor = 4
    small = image.resize((max(1, image.width // factor), max(1, image.height // factor)))
    # A closing wider than a character at this size: the ink goes, the paper's light (and
    # where a shadow starts) stays; then smoothed.
    size = min(15, max(3, (min(small.size) // 25) | 1))
    background = (
        small.filter(ImageFilter.MaxFilter(size))
        .filter(ImageFilter.MinFilter(size))
        .filter(ImageFilter.GaussianBlur(2))
    )
    bg = np.asarray(background, dtype=np.float32)
    lo, hi = np.percentile(bg, [5, 95])
    arr = np.asarray(image, dtype=np.float32)
    ink = float(np.percentile(arr[::2, ::2], 1))  # a sample says as much, at a quarter of the cost
    if hi - lo < 25 and ink < 110:
        return image  # evenly lit and dark print: nothing to gain
    full = np.asarray(background.resize(image.size, PilImage.Resampling.BILINEAR), dtype=np.float32)
    ratio = np.minimum(arr / np.maximum(full, 1.0), 1.0)
    # Stretch: the darkest ink to black (faded print gains contrast), paper stays white.
    dark = float(np.percentile(ratio[::2, ::2], 0.5))
    if dark < 0.95:
        ratio = np.clip((ratio - dark) * (1.0 / (1.0 - dark)), 0.0, 1.0)
    return PilImage.fromarray((ratio * 255 + 0.5).astype(np.uint8))
