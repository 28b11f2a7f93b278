"""Tokens -> image: a transformer block and a linear map to patch pixels."""
import copy
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from ..utils import MAE_INIT_CFG, Block, unpatchify


@MODELS.register_module()
class PatchImageDecoder(BaseModule):
    """A Block and a Linear to per-patch pixels, un-patchified to an image.

    DeFusion++ decodes its common, unique and fused images with one each
    (:class:`DecompositionHead`). No activation: the output is unbounded in
    training and clamped to [0, 1] at inference by the model.

    Args:
        embed_dims (int): Token width C. Defaults to 192.
        num_heads (int): Heads of the block. Defaults to 16.
        mlp_ratio (float): Defaults to 4.
        patch_size (int): Patch size p. Defaults to 16.
        out_channels (int): Image channels. Defaults to 3.
        init_cfg (dict | list, optional): Defaults to the MAE-style init.
    """

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 patch_size: int = 16,
                 out_channels: int = 3,
                 init_cfg=copy.deepcopy(MAE_INIT_CFG)):
        super().__init__(init_cfg=init_cfg)
        self.patch_size = patch_size
        self.block = Block(embed_dims, num_heads, mlp_ratio)
        self.proj = nn.Linear(embed_dims, patch_size * patch_size *
                              out_channels)

    def forward(self, tokens: torch.Tensor,
                grid_size: Tuple[int, int]) -> torch.Tensor:
        """(N, 1 + h * w, C) tokens, cls first -> (N, out_channels, h * p,
        w * p) image."""
        patches = self.proj(self.block(tokens)[:, 1:])
        return unpatchify(patches, grid_size, self.patch_size)
