"""ViTDet-style simple feature pyramid from one stride-16 feature map."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an (N, C, H, W) map."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.permute(0, 2, 3, 1)
        x = super().forward(x)
        return x.permute(0, 3, 1, 2)


@MODELS.register_module()
class SimpleFeaturePyramid(BaseModule):
    """Strides 4, 8, 16 and 32 from one stride-16 map (ViTDet, Li et al.
    2022): two 2x deconvolutions (LayerNorm + GELU between), one 2x
    deconvolution, identity, and a 2x max-pool.

    Output channels are ``C / 4, C / 2, C, C`` for input width ``C``, so an
    FPN or UPerHead takes ``in_channels=[C // 4, C // 2, C, C]``.

    Args:
        in_channels (int): Width C of the stride-16 map (divisible by 4).
        out_indices (Sequence[int]): Levels to return, 0 = stride 4 ...
            3 = stride 32. Defaults to (0, 1, 2, 3).
        init_cfg (dict, optional): Initialisation config.
    """

    strides = (4, 8, 16, 32)

    def __init__(self,
                 in_channels: int,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if in_channels % 4:
            raise ValueError('SimpleFeaturePyramid: in_channels must be '
                             f'divisible by 4, got {in_channels}')
        out_indices = tuple(out_indices)
        if not out_indices or any(i not in range(4) for i in out_indices):
            raise ValueError('SimpleFeaturePyramid: out_indices must be '
                             f'a non-empty subset of 0..3, got {out_indices}')
        self.in_channels = in_channels
        self.out_indices = out_indices
        c = in_channels
        self.out_channels = tuple((c // 4, c // 2, c, c)[i]
                                  for i in out_indices)
        self.up4 = nn.Sequential(
            nn.ConvTranspose2d(c, c // 2, 2, stride=2), LayerNorm2d(c // 2),
            nn.GELU(), nn.ConvTranspose2d(c // 2, c // 4, 2, stride=2))
        self.up2 = nn.ConvTranspose2d(c, c // 2, 2, stride=2)
        self.down2 = nn.MaxPool2d(2, stride=2, ceil_mode=True)

    def forward(self, x: torch.Tensor,
                img_shape: Tuple[int, int] = None) -> Tuple[torch.Tensor]:
        """Build the pyramid.

        Args:
            x (Tensor): Stride-16 map (N, C, h, w).
            img_shape (tuple, optional): (H, W) of the unpadded input; level
                ``s`` is then cropped to ``(ceil(H / s), ceil(W / s))``.

        Returns:
            tuple[Tensor]: The levels in ``out_indices``, e.g.
            (N, C/4, 4h, 4w), (N, C/2, 2h, 2w), (N, C, h, w),
            (N, C, h/2, w/2).
        """
        levels = (self.up4(x), self.up2(x), x, self.down2(x))
        outs = []
        for i in self.out_indices:
            level = levels[i]
            if img_shape is not None:
                s = self.strides[i]
                h = -(-img_shape[0] // s)
                w = -(-img_shape[1] // s)
                level = level[..., :h, :w]
            outs.append(level.contiguous())
        return tuple(outs)
