"""The image head of DeFusion++: common, unique and fused images and their
losses."""
import copy
from typing import Dict, Sequence

import torch
from mmengine.model import BaseModule

from defusion.registry import MODELS
from defusion.structures import CUDOutput
from ..utils.targets import stack_targets
from .patch_image_decoder import PatchImageDecoder


@MODELS.register_module()
class DecompositionHead(BaseModule):
    """Decode the CUD neck's tokens into the common image, the two unique
    images (one shared decoder) and the fused image, and score them against
    the pretext targets.

    Targets (read from the data samples): ``gt_common`` (the part of the
    clean crop both sources show), ``gt_unique_a`` / ``gt_unique_b`` (the
    parts only one source shows) and ``gt_clean`` (the clean crop, target
    of the fused image).

    Args:
        embed_dims, num_heads, mlp_ratio, patch_size: Of the three
            :class:`PatchImageDecoder` s (DeFusionPP fills width, heads and
            patch size from its backbone).
        loss_common (dict): Defaults to L1, weight 20.
        loss_unique (dict): For each unique image. Defaults to L1, weight
            10.
        loss_fused (dict): Defaults to L1, weight 100.
        loss_fused_ssim (dict): Defaults to SSIM, weight 50.
        init_cfg (dict | list, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 patch_size: int = 16,
                 loss_common: dict = dict(type='L1Loss', loss_weight=20.),
                 loss_unique: dict = dict(type='L1Loss', loss_weight=10.),
                 loss_fused: dict = dict(type='L1Loss', loss_weight=100.),
                 loss_fused_ssim: dict = dict(
                     type='SSIMLoss', loss_weight=50.),
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        decoder = dict(embed_dims=embed_dims, num_heads=num_heads,
                       mlp_ratio=mlp_ratio, patch_size=patch_size)
        self.common_decoder = PatchImageDecoder(**decoder)
        self.unique_decoder = PatchImageDecoder(**decoder)
        self.fused_decoder = PatchImageDecoder(**decoder)
        self.loss_common = MODELS.build(copy.deepcopy(loss_common))
        self.loss_unique = MODELS.build(copy.deepcopy(loss_unique))
        self.loss_fused = MODELS.build(copy.deepcopy(loss_fused))
        self.loss_fused_ssim = MODELS.build(copy.deepcopy(loss_fused_ssim))

    def forward(self, out: CUDOutput) -> Dict[str, torch.Tensor]:
        """Images (N, 3, H, W), unclamped: ``fused``, ``common``,
        ``unique_a``, ``unique_b``."""
        grid = out.grid_size
        n = out.common.shape[0]
        uniques = self.unique_decoder(
            torch.cat([out.unique_a, out.unique_b]), grid)
        return dict(
            fused=self.fused_decoder(out.fused_feat, grid),
            common=self.common_decoder(out.common, grid),
            unique_a=uniques[:n],
            unique_b=uniques[n:])

    def predict(self, out: CUDOutput) -> Dict[str, torch.Tensor]:
        """Same as :meth:`forward` (the model crops and clamps)."""
        return self(out)

    def loss(self, out: CUDOutput,
             data_samples: Sequence) -> Dict[str, torch.Tensor]:
        """``loss_common``, ``loss_unique_a``, ``loss_unique_b``,
        ``loss_fused_l1`` and ``loss_fused_ssim`` (batch averages)."""
        images = self(out)
        clean = stack_targets(data_samples, 'gt_clean', images['fused'])
        losses = dict(loss_common=self.loss_common(
            images['common'],
            stack_targets(data_samples, 'gt_common', images['common'])))
        for key in ('unique_a', 'unique_b'):
            losses[f'loss_{key}'] = self.loss_unique(
                images[key],
                stack_targets(data_samples, f'gt_{key}', images[key]))
        losses['loss_fused_l1'] = self.loss_fused(images['fused'], clean)
        losses['loss_fused_ssim'] = self.loss_fused_ssim(
            images['fused'], clean)
        return losses
