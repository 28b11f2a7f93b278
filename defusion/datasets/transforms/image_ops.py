"""Numpy image operations used by the pretext pair synthesis.

All functions take and return float32 (H, W, 3) RGB arrays in [0, 1].
"""
import math
from typing import Sequence, Tuple

import cv2
import numpy as np

from defusion.utils.colour import rgb_to_luma_np


def _blend(img: np.ndarray, other, factor: float) -> np.ndarray:
    return np.clip(factor * img + (1.0 - factor) * other, 0.0, 1.0)


def adjust_brightness(img: np.ndarray, factor: float) -> np.ndarray:
    """Scale intensities by ``factor`` (blend with black)."""
    return _blend(img, 0.0, factor)


def adjust_contrast(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the mean grey level of the image."""
    return _blend(img, float(rgb_to_luma_np(img).mean()), factor)


def adjust_saturation(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the greyscale version of the image."""
    return _blend(img, rgb_to_luma_np(img)[..., None], factor)


def random_colour_jitter(img: np.ndarray, rng: np.random.Generator,
                         brightness: Sequence[float],
                         contrast: Sequence[float],
                         saturation: Sequence[float]) -> np.ndarray:
    """Brightness, contrast and saturation jitter in random order.

    Each factor is drawn uniformly from its ``(low, high)`` range; the order
    of the three operations is a random permutation (hue is not changed).
    """
    ops = [(adjust_brightness, brightness), (adjust_contrast, contrast),
           (adjust_saturation, saturation)]
    factors = [rng.uniform(low, high) for _, (low, high) in ops]
    for k in rng.permutation(len(ops)):
        img = ops[k][0](img, factors[k])
    return img.astype(np.float32, copy=False)


def random_resized_crop_box(height: int, width: int,
                            rng: np.random.Generator,
                            scale: Sequence[float] = (0.08, 1.0),
                            ratio: Sequence[float] = (3 / 4, 4 / 3),
                            attempts: int = 10) -> Tuple[int, int, int, int]:
    """Draw a crop box (top, left, h, w) covering a random area fraction in
    ``scale`` with a random aspect ratio (w / h) in ``ratio``.

    Falls back to the largest central crop whose aspect ratio lies in
    ``ratio`` when no draw fits in ``attempts`` tries.
    """
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(attempts):
        target_area = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(log_ratio[0], log_ratio[1]))
        w = int(round(math.sqrt(target_area * aspect)))
        h = int(round(math.sqrt(target_area / aspect)))
        if 0 < w <= width and 0 < h <= height:
            top = int(rng.integers(0, height - h + 1))
            left = int(rng.integers(0, width - w + 1))
            return top, left, h, w
    in_ratio = width / height
    if in_ratio < min(ratio):
        w, h = width, int(round(width / min(ratio)))
    elif in_ratio > max(ratio):
        w, h = int(round(height * max(ratio))), height
    else:
        w, h = width, height
    return (height - h) // 2, (width - w) // 2, h, w


def resized_crop(img: np.ndarray, box: Tuple[int, int, int, int],
                 size: Tuple[int, int]) -> np.ndarray:
    """Crop ``box`` = (top, left, h, w) and resize to ``size`` = (H, W).

    Area interpolation when shrinking, bilinear when enlarging.
    """
    top, left, h, w = box
    crop = img[top:top + h, left:left + w]
    out_h, out_w = size
    if (h, w) == (out_h, out_w):
        return np.ascontiguousarray(crop, dtype=np.float32)
    shrink = out_h * out_w < h * w
    interp = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    out = cv2.resize(
        np.ascontiguousarray(crop, dtype=np.float32), (out_w, out_h),
        interpolation=interp)
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)
