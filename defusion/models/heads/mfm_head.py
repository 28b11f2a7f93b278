"""Masked feature modeling (MFM) head of DeFusion++."""
import copy
from typing import Dict, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from defusion.structures import CUDOutput
from ..utils import (MAE_INIT_CFG, Block, adopt_pos_embed, resize_pos_embed,
                     sincos_pos_embed_2d, unpatchify)
from ..utils.targets import stack_targets


@MODELS.register_module()
class MFMHead(BaseModule):
    """MAE-style decoder that rebuilds the clean image from the fused tokens
    of the kept patches, and its loss.

    The CUD neck masks the tokens (``CUDOutput.mfm_tokens`` and
    ``ids_restore``); this head puts a learned mask token at every dropped
    position, adds a fixed sin-cos position table, decodes all patches with
    ``num_layers`` Blocks, a LayerNorm and a Linear, and compares the image
    with ``gt_clean``.

    Args:
        embed_dims (int): Token width C. Defaults to 192.
        num_heads (int): Heads of the decoder blocks. Defaults to 16.
        mlp_ratio (float): Defaults to 4.
        num_layers (int): Decoder blocks. Defaults to 2.
        patch_size (int): Defaults to 16.
        out_channels (int): Defaults to 3.
        img_size (int): Size the position table is made for (interpolated
            to other grids like the encoder's). Defaults to 224.
        loss (dict): Defaults to L1 with weight 2.
        init_cfg (dict | list, optional): Defaults to the MAE-style init.
    """

    num_extra_tokens = 1

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 num_layers: int = 2,
                 patch_size: int = 16,
                 out_channels: int = 3,
                 img_size: Union[int, Tuple[int, int]] = 224,
                 loss: dict = dict(type='L1Loss', loss_weight=2.),
                 init_cfg=copy.deepcopy(MAE_INIT_CFG)):
        super().__init__(init_cfg=init_cfg)
        self.patch_size = patch_size
        if isinstance(img_size, int):
            img_size = (img_size, img_size)
        self.base_grid = (img_size[0] // patch_size,
                          img_size[1] // patch_size)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.register_buffer(
            'pos_embed', sincos_pos_embed_2d(embed_dims, self.base_grid))
        self.blocks = nn.ModuleList([
            Block(embed_dims, num_heads, mlp_ratio)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(embed_dims)
        self.proj = nn.Linear(embed_dims, patch_size * patch_size *
                              out_channels)
        self.loss_mfm = MODELS.build(copy.deepcopy(loss))
        nn.init.normal_(self.mask_token, std=.02)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # Keep the position table the checkpoint was trained with.
        adopt_pos_embed(self, state_dict, prefix + 'pos_embed',
                        self.num_extra_tokens)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def forward(self, tokens: torch.Tensor, ids_restore: torch.Tensor,
                grid_size: Tuple[int, int]) -> torch.Tensor:
        """Rebuild the image from the kept tokens.

        Args:
            tokens (Tensor): (N, 1 + K, C) fused kept tokens.
            ids_restore (Tensor): (N, L), see :class:`CUDOutput`.
            grid_size (tuple): (h, w) patch grid, h * w = L.

        Returns:
            Tensor: Rebuilt image (N, out_channels, h * p, w * p).
        """
        n, num_kept, c = tokens.shape
        num_patches = ids_restore.shape[1]
        mask = self.mask_token.to(tokens.dtype).expand(
            n, num_patches - (num_kept - 1), c)
        patches = torch.cat([tokens[:, 1:], mask], dim=1)
        index = ids_restore.unsqueeze(-1).expand(-1, -1, c)
        patches = torch.gather(patches, 1, index)
        x = torch.cat([tokens[:, :1], patches], dim=1)
        x = x + resize_pos_embed(self.pos_embed, self.base_grid, grid_size,
                                 self.num_extra_tokens)
        for block in self.blocks:
            x = block(x)
        x = self.proj(self.norm(x))
        return unpatchify(x[:, 1:], grid_size, self.patch_size)

    def loss(self, out: CUDOutput,
             data_samples: Sequence) -> Dict[str, torch.Tensor]:
        """``loss_mfm`` of the rebuilt image against ``gt_clean``."""
        if out.mfm_tokens is None:
            raise ValueError('MFMHead.loss needs the masked tokens: run the '
                             'neck with mask=True')
        image = self(out.mfm_tokens, out.ids_restore, out.grid_size)
        target = stack_targets(data_samples, 'gt_clean', image)
        return dict(loss_mfm=self.loss_mfm(image, target))
