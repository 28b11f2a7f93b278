"""Histogram based metrics: entropy (EN), mutual information (MI) and
cross entropy (CE). Inputs are grey images (H, W) on the [0, 255] scale.
"""
import numpy as np


def quantise(img: np.ndarray, rounding: str = 'round') -> np.ndarray:
    """Map a [0, 255] image to integer bins 0..255.

    Args:
        img (np.ndarray): grey image.
        rounding (str): ``'round'`` (nearest, halves away from zero like
            MATLAB), ``'floor'`` (VIFB's entropy) .

    Returns:
        np.ndarray: int64 bins, clipped to [0, 255].
    """
    img = np.asarray(img, dtype=np.float64)
    if rounding == 'round':
        bins = np.floor(img + 0.5)
    elif rounding == 'floor':
        bins = np.floor(img)
    else:
        raise ValueError(f"rounding must be 'round' or 'floor', "
                         f'got {rounding!r}')
    return np.clip(bins, 0, 255).astype(np.int64)


def histogram(img: np.ndarray, rounding: str = 'round') -> np.ndarray:
    """Normalised 256-bin histogram (probabilities) of a grey image."""
    counts = np.bincount(quantise(img, rounding).ravel(), minlength=256)
    return counts / counts.sum()


def _entropy_of(p: np.ndarray, base: float) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / np.log(base))


def entropy(img: np.ndarray, rounding: str = 'round',
            base: float = 2.0) -> float:
    """EN: Shannon entropy of the 256-bin histogram (bits by default)."""
    return _entropy_of(histogram(img, rounding), base)


def minmax_bins(img: np.ndarray) -> np.ndarray:
    """VIFB's MI binning: min-max normalise to [0, 1], round(255 x)."""
    img = np.asarray(img, dtype=np.float64)
    lo, hi = img.min(), img.max()
    if hi == lo:
        return np.zeros(img.shape, dtype=np.int64)
    return np.floor((img - lo) / (hi - lo) * 255 + 0.5).astype(np.int64)


def mutual_information_pair(x: np.ndarray,
                            y: np.ndarray,
                            base: float = 2.0,
                            binning: str = 'round') -> float:
    """MI(X, Y) = H(X) + H(Y) - H(X, Y) from a 256 x 256 joint histogram.

    Args:
        x, y (np.ndarray): grey images of the same shape, [0, 255].
        base (float): logarithm base (2: bits, e: nats).
        binning (str): ``'round'`` (nearest grey level) or ``'minmax'``
            (VIFB: each image min-max normalised to 0..255 first).
    """
    if np.shape(x) != np.shape(y):
        raise ValueError(f'MI needs images of the same shape, got '
                         f'{np.shape(x)} and {np.shape(y)}')
    if binning == 'minmax':
        bx, by = minmax_bins(x), minmax_bins(y)
    elif binning == 'round':
        bx, by = quantise(x), quantise(y)
    else:
        raise ValueError(f"binning must be 'round' or 'minmax', "
                         f'got {binning!r}')
    joint = np.bincount((bx * 256 + by).ravel(), minlength=256 * 256)
    joint = joint.reshape(256, 256) / bx.size
    hx = _entropy_of(joint.sum(1), base)
    hy = _entropy_of(joint.sum(0), base)
    hxy = _entropy_of(joint.ravel(), base)
    return hx + hy - hxy


def mutual_information(img_a: np.ndarray,
                       img_b: np.ndarray,
                       fused: np.ndarray,
                       base: float = 2.0,
                       binning: str = 'round') -> float:
    """MI fusion metric: MI(A, F) + MI(B, F)."""
    return (mutual_information_pair(img_a, fused, base, binning) +
            mutual_information_pair(img_b, fused, base, binning))


def relative_entropy(src: np.ndarray, fused: np.ndarray) -> float:
    """Sum over grey levels of p_src log2(p_src / p_fused) where both > 0
    (the "cross entropy" of VIFB's ``metricsCross_entropy``)."""
    p, q = histogram(src), histogram(fused)
    keep = (p > 0) & (q > 0)
    return float((p[keep] * np.log2(p[keep] / q[keep])).sum())


def cross_entropy(img_a: np.ndarray, img_b: np.ndarray,
                  fused: np.ndarray) -> float:
    """CE fusion metric (lower is better): mean of CE(A, F) and CE(B, F)."""
    return (relative_entropy(img_a, fused) +
            relative_entropy(img_b, fused)) / 2
