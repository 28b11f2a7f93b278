"""Laplacian pyramid fusion (Burt and Adelson, 1983/1985)."""
from typing import List, Optional

import torch

from defusion.registry import MODELS
from .base_classical_fusion import BaseClassicalFusion
from .filters import filter2d, max_levels

# Burt-Adelson generating kernel (a = 0.375), separable 5-tap.
_TAPS = torch.tensor([1., 4., 6., 4., 1.]) / 16.
_KERNEL = torch.outer(_TAPS, _TAPS)


def pyr_down(x: torch.Tensor) -> torch.Tensor:
    """REDUCE: blur, keep every other row/column. (N,C,H,W) ->
    (N,C,ceil(H/2),ceil(W/2))."""
    return filter2d(x, _KERNEL)[..., ::2, ::2]


def pyr_up(x: torch.Tensor, size) -> torch.Tensor:
    """EXPAND to ``size`` (H, W): zero insertion, then blur with 4x the
    kernel."""
    n, c, h, w = x.shape
    up = x.new_zeros(n, c, 2 * h, 2 * w)
    up[..., ::2, ::2] = x
    up = filter2d(up, 4 * _KERNEL)
    return up[..., :size[0], :size[1]]


def build_laplacian_pyramid(x: torch.Tensor,
                            levels: int) -> List[torch.Tensor]:
    """Laplacian bands (finest first) followed by the Gaussian top level."""
    pyramid = []
    current = x
    for _ in range(levels):
        down = pyr_down(current)
        pyramid.append(current - pyr_up(down, current.shape[-2:]))
        current = down
    pyramid.append(current)
    return pyramid


def collapse_laplacian_pyramid(pyramid: List[torch.Tensor]) -> torch.Tensor:
    """Inverse of :func:`build_laplacian_pyramid` (exact)."""
    image = pyramid[-1]
    for band in reversed(pyramid[:-1]):
        image = band + pyr_up(image, band.shape[-2:])
    return image


@MODELS.register_module()
class LaplacianPyramidFusion(BaseClassicalFusion):
    """Laplacian pyramid fusion: average of the top (base) level, max-abs
    selection of the band-pass coefficients.

    The selection is made per pixel on the sum of absolute coefficients over
    the channels, so all channels come from the same source.

    Args:
        num_levels (int): Band-pass levels; reduced for small images so that
            the top level keeps at least 8 pixels per side. Defaults to 4.
    """

    def __init__(self,
                 num_levels: int = 4,
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
        levels = min(self.num_levels, max_levels(*img_a.shape[-2:]))
        pyr_a = build_laplacian_pyramid(img_a, levels)
        pyr_b = build_laplacian_pyramid(img_b, levels)
        fused = []
        for band_a, band_b in zip(pyr_a[:-1], pyr_b[:-1]):
            pick_a = band_a.abs().sum(1, keepdim=True) >= \
                band_b.abs().sum(1, keepdim=True)
            fused.append(torch.where(pick_a, band_a, band_b))
        fused.append(0.5 * (pyr_a[-1] + pyr_b[-1]))
        return collapse_laplacian_pyramid(fused)
