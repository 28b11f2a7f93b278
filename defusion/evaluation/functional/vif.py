"""Pixel-domain visual information fidelity (Sheikh & Bovik 2006, VIFp,
4 scales) and its fusion form VIF(A, F) + VIF(B, F)."""
import numpy as np

from .filtering import correlate, gaussian_kernel

SIGMA_NSQ = 2.0  # variance of the visual noise
EPS = 1e-10
MIN_SIZE = 41  # smallest side for which all 4 scales have a valid window


def vif_pixel(ref: np.ndarray, dist: np.ndarray) -> float:
    """VIFp of a distorted image against a reference, (H, W) on [0, 255].

    At scale s = 1..4 a Gaussian window of size N = 2^(5-s) + 1, sigma N/5
    gives the local statistics ('valid'); between scales the images are
    low-passed with that window and subsampled by 2.
    """
    ref = np.asarray(ref, dtype=np.float64)
    dist = np.asarray(dist, dtype=np.float64)
    if ref.shape != dist.shape:
        raise ValueError(f'VIF needs images of the same shape, got '
                         f'{ref.shape} and {dist.shape}')
    if min(ref.shape) < MIN_SIZE:
        raise ValueError(f'VIF (4 scales) needs images of at least '
                         f'{MIN_SIZE} pixels a side, got {ref.shape}')
    num = den = 0.0
    for scale in range(1, 5):
        n = 2**(5 - scale) + 1
        win = gaussian_kernel(n, n / 5)
        if scale > 1:
            ref = correlate(ref, win)[::2, ::2]
            dist = correlate(dist, win)[::2, ::2]
        mu1, mu2 = correlate(ref, win), correlate(dist, win)
        s1 = np.maximum(correlate(ref * ref, win) - mu1 * mu1, 0)
        s2 = np.maximum(correlate(dist * dist, win) - mu2 * mu2, 0)
        s12 = correlate(ref * dist, win) - mu1 * mu2
        g = s12 / (s1 + EPS)
        sv = s2 - g * s12
        flat_ref = s1 < EPS
        g[flat_ref] = 0
        sv[flat_ref] = s2[flat_ref]
        s1[flat_ref] = 0
        flat_dist = s2 < EPS
        g[flat_dist] = 0
        sv[flat_dist] = 0
        neg = g < 0
        sv[neg] = s2[neg]
        g[neg] = 0
        sv[sv <= EPS] = EPS
        num += np.log10(1 + g * g * s1 / (sv + SIGMA_NSQ)).sum()
        den += np.log10(1 + s1 / SIGMA_NSQ).sum()
    return float(num / den) if den > 0 else 0.0


def vif(img_a, img_b, fused) -> float:
    """VIF fusion metric: VIFp(A, F) + VIFp(B, F)."""
    return vif_pixel(img_a, fused) + vif_pixel(img_b, fused)
