"""defusion.evaluation.functional: metric functions (torch / numpy)."""
from .psnr import psnr
from .ssim import gaussian_window, ssim, ssim_map

__all__ = ['ssim', 'ssim_map', 'psnr', 'gaussian_window']
