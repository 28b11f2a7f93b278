"""Common/unique decomposition (CUD) and fusion module of DeFusion++."""
import copy
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from defusion.structures import CUDOutput
from ..utils import AttnBlock, Block, MAE_INIT_CFG
from ..utils.token_masking import gather_tokens, random_masking

PART_KEYS = ('common', 'unique_a', 'unique_b')


@MODELS.register_module()
class CUDNeck(BaseModule):
    """Decompose two token sets into common and unique parts and fuse them.

    Every quantity has a deep path (on the encoder's deep tokens ``e``) and
    a shallow path (on its shallow tokens ``r``) with separate weights:

    - common: ``c = C(e_x, e_y)`` and ``c_s = Cs(r_x, r_y)`` (AttnBlock,
      ``common=True``). In training (x, y) is (a, b) or (b, a) at random; in
      eval both orders are averaged (summed and halved so the scale matches
      training).
    - unique: ``u_a = U(e_b, e_a) + R(e_a)`` and ``u_a_s = Us(r_b, r_a) +
      Rs(r_a)`` (U an AttnBlock with ``common=False``, R a Block), and the
      same for b with shared weights.
    - fusion: ``f = F(c, u_a) + F(c, u_b) + Fs(c_s, u_a_s) + Fs(c_s,
      u_b_s)`` (u queries c), then ``f' = RB2(RB1(f))``.
    - masked feature modeling (``mask=True``, training): the same random
      ``mask_ratio`` of the patch tokens is dropped from every part of a
      sample, the kept tokens are fused and refined (``mfm_tokens``) for
      the MFM decoder, which rebuilds the clean image from them.

    All tensors are tokens (N, 1 + L, C) with the cls token first.

    Args:
        embed_dims (int): Token width C. Defaults to 192 (DeFusionPP fills
            it from its backbone).
        num_heads (int): Heads of all blocks. Defaults to 16.
        mlp_ratio (float): MLP / FFN hidden width over C. Defaults to 4.
        dropout (float): Dropout of the AttnBlocks. Defaults to 0.1.
        num_refine_blocks (int): Blocks after the fusion. Defaults to 2.
        mask_ratio (float): Fraction of patch tokens masked for MFM, in
            [0, 1). Defaults to 0.75.
        init_cfg (dict | list, optional): Defaults to the MAE-style init
            (Xavier-uniform Linear layers, unit LayerNorms).
    """

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 dropout: float = 0.1,
                 num_refine_blocks: int = 2,
                 mask_ratio: float = 0.75,
                 init_cfg=copy.deepcopy(MAE_INIT_CFG)):
        super().__init__(init_cfg=init_cfg)
        if not 0 <= mask_ratio < 1:
            raise ValueError(f'mask_ratio must be in [0, 1), got {mask_ratio}')
        self.embed_dims = embed_dims
        self.mask_ratio = mask_ratio
        ffn = int(embed_dims * mlp_ratio)

        def attn_block(common):
            return AttnBlock(embed_dims, num_heads, common, ffn, dropout)

        def block():
            return Block(embed_dims, num_heads, mlp_ratio)

        self.common_deep = attn_block(True)
        self.common_shallow = attn_block(True)
        self.unique_cross_deep = attn_block(False)
        self.unique_self_deep = block()
        self.unique_cross_shallow = attn_block(False)
        self.unique_self_shallow = block()
        self.fusion_deep = attn_block(False)
        self.fusion_shallow = attn_block(False)
        self.refine_blocks = nn.ModuleList(
            [block() for _ in range(num_refine_blocks)])

    def _common(self, block: AttnBlock, tokens_a: torch.Tensor,
                tokens_b: torch.Tensor) -> torch.Tensor:
        if self.training:
            if torch.rand(1).item() < 0.5:
                return block(tokens_a, tokens_b)
            return block(tokens_b, tokens_a)
        return (block(tokens_a, tokens_b) + block(tokens_b, tokens_a)) / 2

    def decompose(self, deep_a: torch.Tensor, shallow_a: torch.Tensor,
                  deep_b: torch.Tensor,
                  shallow_b: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Common and unique parts of a pair, deep and shallow kept apart.

        Returns:
            dict: ``common``, ``unique_a``, ``unique_b`` (deep path) and
            ``common_shallow``, ``unique_a_shallow``, ``unique_b_shallow``,
            each (N, 1 + L, C).
        """
        for name, t in (('deep_a', deep_a), ('shallow_a', shallow_a),
                        ('deep_b', deep_b), ('shallow_b', shallow_b)):
            if t.dim() != 3 or t.shape != deep_a.shape:
                raise ValueError('CUDNeck expects four token tensors of one '
                                 f'shape (N, 1 + L, C); {name} has '
                                 f'{tuple(t.shape)}, deep_a has '
                                 f'{tuple(deep_a.shape)}')
        n = deep_a.shape[0]
        # Both uniques share weights: run them as one batch of 2N.
        deep_own = torch.cat([deep_a, deep_b])
        deep_other = torch.cat([deep_b, deep_a])
        shallow_own = torch.cat([shallow_a, shallow_b])
        shallow_other = torch.cat([shallow_b, shallow_a])
        unique = self.unique_cross_deep(deep_other, deep_own) + \
            self.unique_self_deep(deep_own)
        unique_s = self.unique_cross_shallow(shallow_other, shallow_own) + \
            self.unique_self_shallow(shallow_own)
        return dict(
            common=self._common(self.common_deep, deep_a, deep_b),
            common_shallow=self._common(self.common_shallow, shallow_a,
                                        shallow_b),
            unique_a=unique[:n],
            unique_b=unique[n:],
            unique_a_shallow=unique_s[:n],
            unique_b_shallow=unique_s[n:])

    def fuse(self, parts: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Fusion ``f`` of decomposed parts (all of one shape, possibly a
        masked subset of tokens) -> (N, 1 + L', C)."""
        n = parts['common'].shape[0]
        common = parts['common'].repeat(2, 1, 1)
        uniques = torch.cat([parts['unique_a'], parts['unique_b']])
        common_s = parts['common_shallow'].repeat(2, 1, 1)
        uniques_s = torch.cat(
            [parts['unique_a_shallow'], parts['unique_b_shallow']])
        fused = self.fusion_deep(common, uniques) + \
            self.fusion_shallow(common_s, uniques_s)
        return fused[:n] + fused[n:]

    def refine(self, fused: torch.Tensor) -> torch.Tensor:
        """``f' = RB2(RB1(f))``."""
        for block in self.refine_blocks:
            fused = block(fused)
        return fused

    def masked_fusion(self, parts: Dict[str, torch.Tensor]
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Drop ``mask_ratio`` of the patch tokens (the same ones from every
        part of a sample), then fuse and refine the kept tokens.

        Returns:
            tuple[Tensor]: ``mfm_tokens`` (N, 1 + K, C) and ``ids_restore``
            (N, L).
        """
        n, length = parts['common'].shape[:2]
        ids_keep, ids_restore = random_masking(
            n, length - 1, self.mask_ratio, parts['common'].device)
        kept = {k: gather_tokens(v, ids_keep) for k, v in parts.items()}
        return self.refine(self.fuse(kept)), ids_restore

    def forward(self,
                deep_a: torch.Tensor,
                shallow_a: torch.Tensor,
                deep_b: torch.Tensor,
                shallow_b: torch.Tensor,
                grid_size: Optional[Tuple[int, int]] = None,
                mask: bool = False) -> CUDOutput:
        """Decompose and fuse a pair of encoded sources.

        Args:
            deep_a, shallow_a, deep_b, shallow_b (Tensor): Encoder outputs of
                the two sources, each (N, 1 + L, C).
            grid_size (tuple, optional): Patch grid (h, w), carried in the
                output for the image decoders.
            mask (bool): Also run the masked fusion for MFM (training).

        Returns:
            CUDOutput: common / unique / fused tokens (and the MFM tokens
            with ``mask``).
        """
        parts = self.decompose(deep_a, shallow_a, deep_b, shallow_b)
        fused = self.fuse(parts)
        mfm_tokens, ids_restore = self.masked_fusion(parts) if mask \
            else (None, None)
        merged = {k: parts[k] + parts[f'{k}_shallow'] for k in PART_KEYS}
        return CUDOutput(
            fused=fused,
            fused_feat=self.refine(fused) + fused,
            grid_size=grid_size,
            mfm_tokens=mfm_tokens,
            ids_restore=ids_restore,
            **merged)
