"""Pixel-wise average of the two sources."""
import torch

from defusion.registry import MODELS
from .base_classical_fusion import BaseClassicalFusion


@MODELS.register_module()
class AverageFusion(BaseClassicalFusion):
    """``fused = (a + b) / 2``, the simplest reference fusion rule."""

    def fuse_sources(self, img_a: torch.Tensor,
                     img_b: torch.Tensor) -> torch.Tensor:
        return 0.5 * (img_a + img_b)
