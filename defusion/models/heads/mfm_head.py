"""Masked feature modeling (MFM) head of DeFusion++."""
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from ..utils import (Block, adopt_pos_embed, init_linear_and_norm,
                     resize_pos_embed, sincos_pos_embed_2d, unpatchify)


@MODELS.register_module()
class MFMHead(BaseModule):
    """Random token masking and an MAE-style decoder to the clean image.

    Usage: :meth:`random_masking` draws the kept patch indices (one draw
    per sample, shared by every token tensor of that sample), :meth:`gather`
    keeps those tokens (the cls token is always kept) and, after the model
    fused the kept tokens, :meth:`forward` puts a learned mask token at every
    dropped position, adds a fixed sin-cos position table and decodes all
    patches with ``num_layers`` Blocks, a LayerNorm and a Linear.

    Args:
        embed_dims (int): Token width C. Defaults to 192.
        num_heads (int): Heads of the decoder blocks. Defaults to 16.
        mlp_ratio (float): Defaults to 4.
        num_layers (int): Decoder blocks. Defaults to 2.
        mask_ratio (float): Fraction of patch tokens dropped, in [0, 1).
            Defaults to 0.75.
        patch_size (int): Defaults to 16.
        out_channels (int): Defaults to 3.
        img_size (int): Size the position table is made for (interpolated
            to other grids like the encoder's). Defaults to 224.
        init_cfg (dict, optional): Initialisation config.
    """

    num_extra_tokens = 1

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 num_layers: int = 2,
                 mask_ratio: float = 0.75,
                 patch_size: int = 16,
                 out_channels: int = 3,
                 img_size: int = 224,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not 0 <= mask_ratio < 1:
            raise ValueError(f'mask_ratio must be in [0, 1), got {mask_ratio}')
        self.mask_ratio = mask_ratio
        self.patch_size = patch_size
        self.base_grid = (img_size // patch_size, img_size // patch_size)
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
        init_linear_and_norm(self)
        nn.init.normal_(self.mask_token, std=.02)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # Keep the position table the checkpoint was trained with.
        adopt_pos_embed(self, state_dict, prefix + 'pos_embed',
                        self.num_extra_tokens)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def random_masking(
            self, num_samples: int, num_patches: int,
            device=None) -> Tuple[torch.Tensor, torch.Tensor]:
        """Draw the patches to keep.

        Returns:
            tuple[Tensor]: ``ids_keep`` (N, K) indices of the kept patches
            (K = max(1, int(L * (1 - mask_ratio)))), and ``ids_restore``
            (N, L) that puts [kept, dropped] back in patch order.
        """
        num_keep = max(1, int(num_patches * (1 - self.mask_ratio)))
        noise = torch.rand(num_samples, num_patches, device=device)
        ids_shuffle = noise.argsort(dim=1)
        ids_restore = ids_shuffle.argsort(dim=1)
        return ids_shuffle[:, :num_keep], ids_restore

    @staticmethod
    def gather(tokens: torch.Tensor, ids_keep: torch.Tensor) -> torch.Tensor:
        """Keep the cls token and the patches ``ids_keep``:
        (N, 1 + L, C) -> (N, 1 + K, C)."""
        index = ids_keep.unsqueeze(-1).expand(-1, -1, tokens.shape[-1])
        kept = torch.gather(tokens[:, 1:], 1, index)
        return torch.cat([tokens[:, :1], kept], dim=1)

    def forward(self, tokens: torch.Tensor, ids_restore: torch.Tensor,
                grid_size: Tuple[int, int]) -> torch.Tensor:
        """Rebuild the image from the kept tokens.

        Args:
            tokens (Tensor): (N, 1 + K, C) fused kept tokens.
            ids_restore (Tensor): (N, L) from :meth:`random_masking`.
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
