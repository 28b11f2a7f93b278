"""Peak signal-to-noise ratio, differentiable torch version."""
import torch
from torch import Tensor

from .ssim import _check_pair


def psnr(x: Tensor, y: Tensor, data_range: float = 1.0) -> Tensor:
    """PSNR = 10 log10(L^2 / MSE) per sample, MSE over (C, H, W).

    Args:
        x, y (Tensor): images (N, C, H, W), float.
        data_range (float): dynamic range L of the images.

    Returns:
        Tensor: (N,) PSNR in dB (``inf`` for identical images).
    """
    _check_pair(x, y)
    if not x.is_floating_point():
        raise TypeError(f'x and y must be float tensors, got {x.dtype}')
    mse = (x - y.to(x.dtype)).pow(2).flatten(1).mean(1)
    return 10 * torch.log10(data_range**2 / mse)
