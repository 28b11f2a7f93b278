"""Reference based fusion metrics comparing the fused image with each
source: SSIM(A, F) + SSIM(B, F), PSNR and RMSE. Grey (H, W) on [0, 255]."""
import numpy as np
import torch

from .ssim import ssim


def _t(img):
    return torch.from_numpy(np.ascontiguousarray(img, dtype=np.float64))[
        None, None]


def ssim_fusion(img_a, img_b, fused) -> float:
    """SSIM(A, F) + SSIM(B, F), Gaussian 11 / 1.5, L = 255, 'valid'."""
    f = _t(fused)
    return float(ssim(_t(img_a), f, data_range=255.0) +
                 ssim(_t(img_b), f, data_range=255.0))


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
