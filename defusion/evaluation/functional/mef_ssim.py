"""MEF-SSIM (Ma, Zeng & Wang, TIP 2015): quality of a fused image against
an exposure stack, on grey images (H, W) in [0, 255].

For every 11 x 11 patch ('valid') a reference patch is built from the stack
(statistics of the stack on a uniform window): its structure is the weighted
mean of the source structures (x_k - mu_k) / ||x_k - mu_k||, weights
(||x_k - mu_k|| / 11)^p with p = tan(pi R / 2) (capped at 10) from the
structural consistency R = ||sum_k (x_k - mu_k)|| / sum_k ||x_k - mu_k||, and
its contrast the largest source contrast max_k ||x_k - mu_k||. The patch
score is the SSIM contrast-structure term (2 s_rf + C) / (s_r^2 + s_f^2 + C),
C = (0.03 * 255)^2, with Gaussian (11, 1.5) weighted statistics; MEF-SSIM is
the mean score (single scale, as the authors' released ``mef_ssim.m``).
"""
import numpy as np

from .filtering import correlate_valid, gaussian_kernel

_EPS = np.finfo(float).eps


def mef_ssim(stack, fused, k: float = 0.03, win_size: int = 11,
             sigma: float = 1.5) -> float:
    """MEF-SSIM of ``fused`` against the sequence ``stack`` of K >= 2 grey
    images of the same shape (at least ``win_size`` pixels a side)."""
    stack = [np.asarray(s, dtype=np.float64) for s in stack]
    fused = np.asarray(fused, dtype=np.float64)
    if len(stack) < 2:
        raise ValueError('MEF-SSIM needs at least two source images')
    for s in stack:
        if s.shape != fused.shape or s.ndim != 2:
            raise ValueError(f'MEF-SSIM sources and fused image must be grey '
                             f'images of the same shape, got {s.shape} and '
                             f'{fused.shape}')
    if min(fused.shape) < win_size:
        raise ValueError(f'MEF-SSIM needs images of at least {win_size} '
                         f'pixels a side, got {fused.shape}')
    n = win_size * win_size
    box = np.full((win_size, win_size), 1.0 / n)
    gauss = gaussian_kernel(win_size, sigma)

    def mean_box(img):
        return correlate_valid(img, box)

    def mean_gauss(img):
        return correlate_valid(img, gauss)

    mu = [mean_box(s) for s in stack]
    box_var = [mean_box(s * s) - m * m for s, m in zip(stack, mu)]
    norms = [np.sqrt(np.maximum(n * v, 0)) for v in box_var]
    ed = [nm + 0.001 for nm in norms]
    # structural consistency R and the weights of the source structures
    total = sum(stack)
    mu_t = sum(mu)
    num = np.sqrt(np.maximum(n * (mean_box(total * total) - mu_t**2), 0))
    r = (num + _EPS) / (sum(norms) + _EPS)
    r = np.where(r > 1, 1 - _EPS, np.where(r < 0, _EPS, r))
    p = np.minimum(np.tan(np.pi / 2 * r), 10)
    weights = [(e / win_size)**p + _EPS for e in ed]
    norm = sum(weights)
    coef = [w / norm / e for w, e in zip(weights, ed)]
    max_ed = np.maximum.reduce(ed)
    # reference patch r = s * sum_k c_k (x_k - mu_k), ||r|| = max_ed
    gx = [mean_gauss(s) for s in stack]
    gf = mean_gauss(fused)
    r_norm_sq = np.zeros_like(max_ed)
    g_rr = np.zeros_like(max_ed)  # Gaussian mean of r^2 before scaling
    for i in range(len(stack)):
        for j in range(i, len(stack)):
            prod = stack[i] * stack[j]
            cc = coef[i] * coef[j] * (1 if i == j else 2)
            r_norm_sq += cc * n * (mean_box(prod) - mu[i] * mu[j])
            g_rr += cc * (mean_gauss(prod) - mu[j] * gx[i] - mu[i] * gx[j] +
                          mu[i] * mu[j])
    r_norm = np.sqrt(np.maximum(r_norm_sq, 0))
    scale = np.where(r_norm > 0, max_ed / np.where(r_norm > 0, r_norm, 1), 0)
    g_r = scale * sum(c * (g - m) for c, g, m in zip(coef, gx, mu))
    g_rf = scale * sum(
        c * (mean_gauss(s * fused) - m * gf)
        for c, s, m in zip(coef, stack, mu))
    sigma_r = scale**2 * g_rr - g_r**2
    sigma_f = mean_gauss(fused * fused) - gf**2
    sigma_rf = g_rf - g_r * gf
    c2 = (k * 255)**2
    q = (2 * sigma_rf + c2) / (sigma_r + sigma_f + c2)
    return float(q.mean())


def mef_ssim_fusion(img_a, img_b, fused) -> float:
    """MEF-SSIM with the two sources as the exposure stack."""
    return mef_ssim([img_a, img_b], fused)
