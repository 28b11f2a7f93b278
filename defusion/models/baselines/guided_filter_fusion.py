"""Guided filtering based fusion (GFF; Li, Kang, Hu, IEEE TIP 2013)."""
from typing import Optional

import torch

from defusion.registry import MODELS
from defusion.utils.colour import rgb_to_luma
from .base_classical_fusion import BaseClassicalFusion
from .filters import box_filter, gaussian_filter, guided_filter, laplacian


@MODELS.register_module()
class GuidedFilterFusion(BaseClassicalFusion):
    """GFF: two-scale decomposition + guided-filter refined weight maps.

    1. Base ``B = mean_31x31(I)``, detail ``D = I - B``.
    2. Saliency ``S = gauss(|laplacian(Y)|)`` (Gaussian radius 5, sigma 5)
       on the luminance Y of each source.
    3. Binary map ``P_n = 1`` where source n has the largest saliency.
    4. Weights ``W_B = GF(P, Y; r1, eps1)``, ``W_D = GF(P, Y; r2, eps2)``
       (guided filter with the source's luminance as guide), clipped at 0
       and normalised to sum to one per pixel.
    5. ``F = sum W_B B + sum W_D D``.

    Differences to the paper: the guide is the grey luminance (the paper
    uses the colour image for colour sources), and negative filtered weights
    are clipped to 0 before normalisation.

    Args:
        base_radius (int): Radius of the averaging filter (31x31 -> 15).
        gauss_radius (int), gauss_sigma (float): Saliency smoothing (5, 5).
        r1, eps1: Guided filter of the base weights (45, 0.3).
        r2, eps2: Guided filter of the detail weights (7, 1e-6).
    """

    def __init__(self,
                 base_radius: int = 15,
                 gauss_radius: int = 5,
                 gauss_sigma: float = 5.,
                 r1: int = 45,
                 eps1: float = 0.3,
                 r2: int = 7,
                 eps2: float = 1e-6,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.base_radius = base_radius
        self.gauss_radius = gauss_radius
        self.gauss_sigma = gauss_sigma
        self.r1, self.eps1 = r1, eps1
        self.r2, self.eps2 = r2, eps2

    @staticmethod
    def _normalise(weights: torch.Tensor) -> torch.Tensor:
        """(N, 2, 1, H, W) weights -> clipped and normalised to sum 1."""
        weights = weights.clamp_min(0)
        total = weights.sum(1, keepdim=True)
        even = torch.full_like(weights, 0.5)
        return torch.where(total > 1e-8, weights / total.clamp_min(1e-8),
                           even)

    def fuse_sources(self, img_a: torch.Tensor,
                     img_b: torch.Tensor) -> torch.Tensor:
        sources = torch.stack([img_a, img_b], 1)  # (N, 2, C, H, W)
        n, _, c, h, w = sources.shape
        flat = sources.flatten(0, 1)  # (2N, C, H, W)
        base = box_filter(flat, self.base_radius)
        detail = flat - base
        grey = rgb_to_luma(flat) if c == 3 else flat.mean(1, keepdim=True)
        saliency = gaussian_filter(
            laplacian(grey).abs(), self.gauss_radius, self.gauss_sigma)
        saliency = saliency.view(n, 2, 1, h, w)
        winner = saliency.argmax(1, keepdim=True)
        masks = torch.cat([winner == 0, winner == 1], 1).to(flat.dtype)
        masks = masks.flatten(0, 1)  # (2N, 1, H, W)
        w_base = guided_filter(grey, masks, self.r1, self.eps1)
        w_detail = guided_filter(grey, masks, self.r2, self.eps2)
        w_base = self._normalise(w_base.view(n, 2, 1, h, w))
        w_detail = self._normalise(w_detail.view(n, 2, 1, h, w))
        fused = (w_base * base.view(n, 2, c, h, w)).sum(1) + \
            (w_detail * detail.view(n, 2, c, h, w)).sum(1)
        return fused
