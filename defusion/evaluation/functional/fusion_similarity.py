"""Reference based fusion metrics comparing the fused image with each
source: SSIM(A, F) + SSIM(B, F), PSNR and RMSE. Grey (H, W) on [0, 255]."""
import numpy as np

from .filtering import correlate_valid, gaussian_kernel


def ssim_grey(x: np.ndarray,
              y: np.ndarray,
              data_range: float = 255.0,
              win_size: int = 11,
              sigma: float = 1.5,
              k1: float = 0.01,
              k2: float = 0.03,
              return_cs: bool = False):
    """Mean SSIM of two grey numpy images (Wang's ``ssim_index``, 'valid').

    Same definition as the torch ``ssim`` (float64 numpy, much faster on CPU
    for full-size evaluation images). With ``return_cs`` also the mean
    contrast-structure term (for MS-SSIM) is returned.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f'SSIM needs images of the same shape, got '
                         f'{x.shape} and {y.shape}')
    if min(x.shape) < win_size:
        raise ValueError(f'images of size {x.shape} are smaller than the '
                         f'SSIM window ({win_size})')
    win = gaussian_kernel(win_size, sigma)
    mu_x, mu_y = correlate_valid(x, win), correlate_valid(y, win)
    mu_xx, mu_yy, mu_xy = mu_x * mu_x, mu_y * mu_y, mu_x * mu_y
    s_xx = correlate_valid(x * x, win) - mu_xx
    s_yy = correlate_valid(y * y, win) - mu_yy
    s_xy = correlate_valid(x * y, win) - mu_xy
    c1, c2 = (k1 * data_range)**2, (k2 * data_range)**2
    cs = (2 * s_xy + c2) / (s_xx + s_yy + c2)
    smap = (2 * mu_xy + c1) / (mu_xx + mu_yy + c1) * cs
    if return_cs:
        return float(smap.mean()), float(cs.mean())
    return float(smap.mean())


def ssim_fusion(img_a, img_b, fused) -> float:
    """SSIM(A, F) + SSIM(B, F), Gaussian 11 / 1.5, L = 255, 'valid'."""
    return ssim_grey(img_a, fused) + ssim_grey(img_b, fused)


def _mse(x, y) -> float:
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return float(np.mean((x - y)**2))


def _vifb_mse(x, y) -> float:
    """VIFB's "mse": sqrt(sum of squared differences) / (H W)."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return float(np.sqrt(np.sum((x - y)**2)) / x.size)


def psnr_fusion(img_a, img_b, fused, variant: str = 'default') -> float:
    """PSNR of the fused image against both sources.

    ``'default'``: 10 log10(255^2 / MSE), MSE = (MSE(A,F) + MSE(B,F)) / 2.
    ``'vifb'``: the same formula with VIFB's "mse" (see ``_vifb_mse``).
    """
    err = _vifb_mse if variant == 'vifb' else _mse
    if variant not in ('default', 'vifb'):
        raise ValueError(f"variant must be 'default' or 'vifb', "
                         f'got {variant!r}')
    mse = (err(img_a, fused) + err(img_b, fused)) / 2
    return float(10 * np.log10(255.0**2 / mse)) if mse > 0 else float('inf')


def rmse_fusion(img_a, img_b, fused, variant: str = 'default') -> float:
    """RMSE (lower is better): (RMSE(A,F) + RMSE(B,F)) / 2 (default) or
    VIFB's mean of its "mse" values (``variant='vifb'``)."""
    if variant == 'vifb':
        return (_vifb_mse(img_a, fused) + _vifb_mse(img_b, fused)) / 2
    if variant != 'default':
        raise ValueError(f"variant must be 'default' or 'vifb', "
                         f'got {variant!r}')
    return (np.sqrt(_mse(img_a, fused)) + np.sqrt(_mse(img_b, fused))) / 2
