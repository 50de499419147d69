"""Image preparation for OCR: page images, red seal suppression, deskewing, underline blanks.

Everything here works on RGB `numpy` arrays (height × width × 3, uint8) with OpenCV; nothing loads
the OCR engine (see `checkers.ocr`). `prepare(image)` runs the steps in order and returns a
`Prepared` image with the affine map that takes its pixel coordinates back to the input's, so
recognised lines can be reported where they are on the page.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Red seal ink in HSV (OpenCV: hue 0-179). Red wraps around 0; seals printed or scanned drift
# towards orange and magenta, hence the wide hue bands. Saturation and value floors keep grey
# paper, black text and dark anti-aliased text edges out of the mask.
RED_HUES = ((0, 14), (156, 179))
RED_MIN_SATURATION = 40
RED_MIN_VALUE = 90
# …and clearly redder than grey: red minus the larger of green and blue, in grey levels. JPEG and
# scanner noise give grey pixels a few levels of colour; a seal's pale rim still has 30 or more.
RED_MIN_EXCESS = 28
# Under a seal the red channel is the page as if the ink were not there, but a seal's red channel is
# itself a little below paper (~215 of 255 for typical ink): at or above this level it is paper.
SEAL_PAPER_LEVEL = 165
# Deskewing: search ±MAX_SKEW degrees, coarse then fine, on a copy at most SKEW_WORK_SIDE pixels high.
MAX_SKEW = 4.0
SKEW_COARSE_STEP = 0.25
SKEW_FINE_STEP = 0.05
SKEW_WORK_SIDE = 1000
MIN_SKEW = 0.1  # degrees: below this the page is left as it is (rotation blurs a little)
WHITE = (255, 255, 255)


@dataclass
class Prepared:
    image: np.ndarray  # RGB, seal removed, deskewed
    to_source: np.ndarray  # 2×3 affine map: prepared pixel (x, y, 1) → input pixel (x, y)
    angle: float  # degrees the page was rotated by (counter-clockwise positive, as OpenCV)
    seal_pixels: int  # pixels recognised as red seal ink and whitened
    source_size: tuple[int, int]  # (width, height) of the input image

    def page_box(self, points: np.ndarray) -> tuple[float, float, float, float]:
        """Bounding box (x0, y0, x1, y1) of prepared-image points as fractions of the page size."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        mapped = pts @ self.to_source[:, :2].T + self.to_source[:, 2]
        width, height = self.source_size
        x0, y0 = mapped.min(axis=0)
        x1, y1 = mapped.max(axis=0)
        clip = lambda v, size: round(float(min(max(v / size, 0.0), 1.0)), 4)  # noqa: E731
        return clip(x0, width), clip(y0, height), clip(x1, width), clip(y1, height)


def prepare(image: np.ndarray) -> Prepared:
    """Seal suppression, then deskewing, of an RGB page image."""
    image = as_rgb(image)
    cleaned, seal = suppress_red(image)
    angle = estimate_skew(cleaned)
    height, width = image.shape[:2]
    if abs(angle) < MIN_SKEW:
        identity = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        return Prepared(cleaned, identity, 0.0, seal, (width, height))
    rotated, matrix = rotate(cleaned, angle)
    import cv2

    return Prepared(rotated, cv2.invertAffineTransform(matrix), angle, seal, (width, height))


def as_rgb(image: np.ndarray) -> np.ndarray:
    """An RGB uint8 array from grey, RGB or RGBA input (alpha composed over white paper)."""
    import cv2

    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        return (image[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(image[:, :, :3])


def red_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of red (seal) ink: a boolean mask."""
    import cv2

    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    mask = np.zeros(image.shape[:2], dtype=np.uint8)
    for low, high in RED_HUES:
        mask |= cv2.inRange(hsv, (low, RED_MIN_SATURATION, RED_MIN_VALUE), (high, 255, 255))
    red = image[:, :, 0].astype(np.int16)
    excess = red - np.maximum(image[:, :, 1], image[:, :, 2]).astype(np.int16)
    return mask.astype(bool) & (excess >= RED_MIN_EXCESS)


def suppress_red(image: np.ndarray) -> tuple[np.ndarray, int]:
    """Remove red seal ink, keeping dark text printed under it.

    Where a seal is, each pixel is replaced by its red channel as grey: red ink is bright in the red
    channel (it becomes paper, from SEAL_PAPER_LEVEL up), black text under the ink stays dark in
    every channel (it stays text). Pixels too dark to be in the mask (text under the seal) are untouched. The replaced
    area is grown by a pixel so the seal's pinkish anti-aliased rim goes too.
    """
    import cv2

    mask = red_mask(image)
    count = int(mask.sum())
    if not count:
        return image, 0
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    out = image.copy()
    red = image[:, :, 0][grown]
    red = np.where(red >= SEAL_PAPER_LEVEL, 255, red).astype(np.uint8)
    out[grown] = np.repeat(red[:, None], 3, axis=1)
    return out, count


def text_pixels(image: np.ndarray, max_side: int = SKEW_WORK_SIDE) -> np.ndarray:
    """Ink as a uint8 binary image (255 = ink), downscaled so the longer side is at most `max_side`."""
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    scale = min(1.0, max_side / max(grey.shape[:2]))
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def ink_pixels(image: np.ndarray) -> int:
    """How much ink a page has (pixels clearly darker than paper, at the skew work size)."""
    import cv2

    grey = cv2.cvtColor(as_rgb(image), cv2.COLOR_RGB2GRAY)
    scale = min(1.0, SKEW_WORK_SIDE / max(grey.shape[:2]))
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return int(np.count_nonzero(grey < 128))


def estimate_skew(image: np.ndarray) -> float:
    """The rotation (degrees, OpenCV's sign) that makes the text lines horizontal.

    Projection profile: text lines give sharp peaks in the row sums of the ink when they are
    horizontal, so the angle whose rotated image has the largest variance of row sums wins. The
    ink is first smeared horizontally so that the profile follows lines, not single glyphs.
    """
    import cv2

    ink = text_pixels(image)
    if cv2.countNonZero(ink) < 50:
        return 0.0
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    coarse = _best_angle(ink, np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, SKEW_COARSE_STEP))
    fine = _best_angle(ink, np.arange(coarse - SKEW_COARSE_STEP, coarse + SKEW_COARSE_STEP + 1e-9, SKEW_FINE_STEP))
    return round(float(fine), 2)


def _best_angle(ink: np.ndarray, angles: np.ndarray) -> float:
    import cv2

    height, width = ink.shape
    centre = (width / 2, height / 2)
    scores = []
    for angle in angles:
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        scores.append(profile.var())
    return float(angles[int(np.argmax(scores))])


def rotate(image: np.ndarray, angle: float, fill=WHITE) -> tuple[np.ndarray, np.ndarray]:
    """`image` rotated by `angle` degrees about its centre, same size, corners filled with paper.
    Returns the image and the 2×3 matrix that maps input pixels to output pixels."""
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    rotated = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    return rotated, matrix


# --- underline blanks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A horizontal rule (an underline) in prepared-image pixels."""

    x0: int
    x1: int
    y: int
    thickness: int


def horizontal_rules(image: np.ndarray, min_length: int) -> list[Rule]:
    """Horizontal strokes at least `min_length` pixels long and thin: underlines and table borders.

    Morphological opening with a long flat kernel keeps only runs of ink that are long and
    horizontal; glyph strokes (even 一) are much shorter than `min_length` chosen by the caller.
    """
    import cv2

    ink = text_pixels(image, max_side=max(image.shape[:2]))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(min_length, 3), 1))
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    rules = []
    for x, y, w, h, _area in stats[1:count]:
        if w >= min_length and h <= max(4, w // 15):
            rules.append(Rule(int(x), int(x + w), int(y + h // 2), int(h)))
    return rules
