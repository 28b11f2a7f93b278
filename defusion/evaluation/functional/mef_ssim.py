"""MEF-SSIM (Ma, Zeng & Wang 2015): quality of a fused image against an
exposure stack, on grey images (H, W) in [0, 255].

At every 11 x 11 patch ('valid', uniform window) a reference patch is built
from the stack: its structure is the weighted mean of the normalised source
structures (weights (||x_k - mu_k|| / 11)^p, p = tan(pi R / 2) from the
structural consistency R, capped at 10), its contrast the largest source
contrast. The score is the SSIM contrast-structure term against the fused
patch, averaged, over 3 scales combined with the MS-SSIM weights.
"""
import numpy as np

from .filtering import correlate
from .ms_ssim import downsample2

MEF_WEIGHTS = (0.0448, 0.2856, 0.3001)
_EPS = np.finfo(float).eps


def _box(img, size):
    return correlate(img, np.full((size, size), 1.0 / size**2))


def mef_ssim_single_scale(stack, fused, k: float = 0.03,
                          win_size: int = 11) -> float:
    """Single-scale MEF-SSIM. ``stack``: sequence of K grey images."""
    stack = [np.asarray(s, dtype=np.float64) for s in stack]
    fused = np.asarray(fused, dtype=np.float64)
    n = win_size * win_size
    mu = [_box(s, win_size) for s in stack]
    var = [_box(s * s, win_size) - m * m for s, m in zip(stack, mu)]
    ed = [np.sqrt(np.maximum(n * v, 0)) + 0.001 for v in var]
    # structural consistency R = ||sum_k (x_k - mu_k)|| / sum_k ||x_k - mu_k||
    total = sum(stack)
    mu_t = sum(mu)
    num = np.sqrt(np.maximum(n * (_box(total * total, win_size) - mu_t**2),
                             0))
    den = sum(np.sqrt(np.maximum(n * v, 0)) for v in var)
    r = np.clip((num + _EPS) / (den + _EPS), _EPS, 1 - _EPS)
    p = np.minimum(np.tan(np.pi / 2 * r), 10)
    weights = [(e / win_size)**p + _EPS for e in ed]
    norm = sum(weights)
    coef = [w / norm / e for w, e in zip(weights, ed)]
    max_ed = np.maximum.reduce(ed)
    # r_block = sum_k c_k (x_k - mu_k); its norm and covariance with F
    mu_f = _box(fused, win_size)
    cov_f = [_box(s * fused, win_size) - m * mu_f for s, m in zip(stack, mu)]
    r_norm_sq = np.zeros_like(mu_f)
    for i, (si, mi) in enumerate(zip(stack, mu)):
        for j in range(i, len(stack)):
            cov = _box(si * stack[j], win_size) - mi * mu[j]
            term = coef[i] * coef[j] * n * cov
            r_norm_sq += term if i == j else 2 * term
    r_norm = np.sqrt(np.maximum(r_norm_sq, 0))
    scale = np.where(r_norm > 0, max_ed / np.where(r_norm > 0, r_norm, 1), 1)
    sigma_r = np.where(r_norm > 0, max_ed**2, 0) / (n - 1)
    sigma_f = n * (_box(fused * fused, win_size) - mu_f**2) / (n - 1)
    sigma_rf = scale * sum(c * n * cv for c, cv in zip(coef, cov_f)) / (n - 1)
    c2 = (k * 255)**2
    q = (2 * sigma_rf + c2) / (sigma_r + sigma_f + c2)
    return float(q.mean())


def mef_ssim(stack, fused, weights=MEF_WEIGHTS) -> float:
    """Multi-scale MEF-SSIM = prod_l Q_l^(w_l / sum w)."""
    stack = [np.asarray(s, dtype=np.float64) for s in stack]
    fused = np.asarray(fused, dtype=np.float64)
    if len(stack) < 2:
        raise ValueError('MEF-SSIM needs at least two source images')
    for s in stack:
        if s.shape != fused.shape:
            raise ValueError(f'MEF-SSIM sources and fused image must have '
                             f'the same shape, got {s.shape} and '
                             f'{fused.shape}')
    need = 11 * 2**(len(weights) - 1)
    if min(fused.shape) < need:
        raise ValueError(f'MEF-SSIM with {len(weights)} scales needs images '
                         f'of at least {need} pixels a side, got '
                         f'{fused.shape}')
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    value = 1.0
    for level, wl in enumerate(w):
        q = mef_ssim_single_scale(stack, fused)
        value *= max(q, 0.0)**wl
        if level < len(w) - 1:
            stack = [downsample2(s) for s in stack]
            fused = downsample2(fused)
    return float(value)


def mef_ssim_fusion(img_a, img_b, fused) -> float:
    """MEF-SSIM with the two sources as the exposure stack."""
    return mef_ssim([img_a, img_b], fused)
