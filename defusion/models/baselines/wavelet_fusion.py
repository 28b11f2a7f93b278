"""Haar discrete wavelet transform fusion."""
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F

from defusion.registry import MODELS
from .base_classical_fusion import BaseClassicalFusion
from .filters import max_levels


def haar_dwt(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """One level of the orthonormal 2-D Haar DWT.

    Args:
        x (Tensor): (N, C, H, W) with even H and W.

    Returns:
        tuple: approximation (N, C, H/2, W/2) and details (N, 3, C, H/2,
        W/2) (horizontal, vertical, diagonal).
    """
    a, b = x[..., 0::2, 0::2], x[..., 0::2, 1::2]
    c, d = x[..., 1::2, 0::2], x[..., 1::2, 1::2]
    approx = (a + b + c + d) / 2
    details = torch.stack(
        [(a - b + c - d) / 2, (a + b - c - d) / 2, (a - b - c + d) / 2], 1)
    return approx, details


def haar_idwt(approx: torch.Tensor, details: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`haar_dwt`."""
    h1, h2, h3 = details.unbind(1)
    n, c, h, w = approx.shape
    out = approx.new_empty(n, c, 2 * h, 2 * w)
    out[..., 0::2, 0::2] = (approx + h1 + h2 + h3) / 2
    out[..., 0::2, 1::2] = (approx - h1 + h2 - h3) / 2
    out[..., 1::2, 0::2] = (approx + h1 - h2 - h3) / 2
    out[..., 1::2, 1::2] = (approx - h1 - h2 + h3) / 2
    return out


def _pad_even(x: torch.Tensor) -> torch.Tensor:
    h, w = x.shape[-2:]
    return F.pad(x, (0, w % 2, 0, h % 2), mode='replicate')


@MODELS.register_module()
class WaveletFusion(BaseClassicalFusion):
    """Multi-level Haar DWT fusion: average of the coarsest approximation,
    max-abs selection of the detail coefficients (per position, on the sum
    of absolute values over channels). Odd sizes are padded by replicating
    the last row/column at each level and cropped back.

    Args:
        num_levels (int): Decomposition levels (reduced for small images).
            Defaults to 3.
    """

    def __init__(self,
                 num_levels: int = 3,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not isinstance(num_levels, int) or num_levels < 1:
            raise ValueError(f'num_levels must be an int >= 1, got '
                             f'{num_levels!r}')
        self.num_levels = num_levels

    def fuse_sources(self, img_a: torch.Tensor,
                     img_b: torch.Tensor) -> torch.Tensor:
        levels = min(self.num_levels, max_levels(*img_a.shape[-2:], 4))
        sizes: List[Tuple[int, int]] = []
        fused_details = []
        for _ in range(levels):
            sizes.append(tuple(img_a.shape[-2:]))
            img_a, det_a = haar_dwt(_pad_even(img_a))
            img_b, det_b = haar_dwt(_pad_even(img_b))
            pick_a = det_a.abs().sum(2, keepdim=True) >= \
                det_b.abs().sum(2, keepdim=True)
            fused_details.append(torch.where(pick_a, det_a, det_b))
        fused = 0.5 * (img_a + img_b)
        for details, (h, w) in zip(reversed(fused_details), reversed(sizes)):
            fused = haar_idwt(fused, details)[..., :h, :w]
        return fused
