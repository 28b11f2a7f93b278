"""Common/unique decomposition (CUD) and fusion module of DeFusion++."""
from typing import Dict

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from ..utils import AttnBlock, Block, init_linear_and_norm

PART_KEYS = ('common', 'unique1', 'unique2')


@MODELS.register_module()
class CUDNeck(BaseModule):
    """Decompose two token sets into common and unique parts and fuse them.

    Every quantity has a deep path (on the encoder's deep tokens ``e``) and
    a shallow path (on its shallow tokens ``r``) with separate weights:

    - common: ``c = C(e_a, e_b)`` and ``c_s = Cs(r_a, r_b)`` (AttnBlock,
      ``common=True``). In training (a, b) is (1, 2) or (2, 1) at random; in
      eval both orders are averaged (summed and halved so the scale matches
      training).
    - unique: ``u_i = U(e_j, e_i) + R(e_i)`` and ``u_i_s = Us(r_j, r_i) +
      Rs(r_i)`` (U an AttnBlock with ``common=False``, R a Block), weights
      shared across i.
    - fusion: ``f = F(c, u1) + F(c, u2) + Fs(c_s, u1_s) + Fs(c_s, u2_s)``
      (u_i queries c), then ``f' = RB2(RB1(f))``.

    All tensors are tokens (N, 1 + L, C) with the cls token first.

    Args:
        embed_dims (int): Token width C. Defaults to 192.
        num_heads (int): Heads of all blocks. Defaults to 16.
        mlp_ratio (float): MLP / FFN hidden width over C. Defaults to 4.
        dropout (float): Dropout of the AttnBlocks. Defaults to 0.1.
        num_refine_blocks (int): Blocks after the fusion. Defaults to 2.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int = 192,
                 num_heads: int = 16,
                 mlp_ratio: float = 4.,
                 dropout: float = 0.1,
                 num_refine_blocks: int = 2,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.embed_dims = embed_dims
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
        init_linear_and_norm(self)

    def _common(self, block: AttnBlock, x1: torch.Tensor,
                x2: torch.Tensor) -> torch.Tensor:
        if self.training:
            if torch.rand(1).item() < 0.5:
                return block(x1, x2)
            return block(x2, x1)
        return (block(x1, x2) + block(x2, x1)) / 2

    def decompose(self, deep1: torch.Tensor, shallow1: torch.Tensor,
                  deep2: torch.Tensor,
                  shallow2: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Common and unique parts of a pair, deep and shallow kept apart.

        Returns:
            dict: ``common``, ``unique1``, ``unique2`` (deep path) and
            ``common_shallow``, ``unique1_shallow``, ``unique2_shallow``,
            each (N, 1 + L, C).
        """
        for name, t in (('deep1', deep1), ('shallow1', shallow1),
                        ('deep2', deep2), ('shallow2', shallow2)):
            if t.dim() != 3 or t.shape != deep1.shape:
                raise ValueError('CUDNeck expects four token tensors of one '
                                 f'shape (N, 1 + L, C); {name} has '
                                 f'{tuple(t.shape)}, deep1 has '
                                 f'{tuple(deep1.shape)}')
        n = deep1.shape[0]
        # Both uniques share weights: run them as one batch of 2N.
        deep_own = torch.cat([deep1, deep2])
        deep_other = torch.cat([deep2, deep1])
        shallow_own = torch.cat([shallow1, shallow2])
        shallow_other = torch.cat([shallow2, shallow1])
        unique = self.unique_cross_deep(deep_other, deep_own) + \
            self.unique_self_deep(deep_own)
        unique_s = self.unique_cross_shallow(shallow_other, shallow_own) + \
            self.unique_self_shallow(shallow_own)
        return dict(
            common=self._common(self.common_deep, deep1, deep2),
            common_shallow=self._common(self.common_shallow, shallow1,
                                        shallow2),
            unique1=unique[:n],
            unique2=unique[n:],
            unique1_shallow=unique_s[:n],
            unique2_shallow=unique_s[n:])

    def fuse(self, parts: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Fusion ``f`` of decomposed parts (all of one shape, possibly a
        masked subset of tokens) -> (N, 1 + L', C)."""
        n = parts['common'].shape[0]
        common = parts['common'].repeat(2, 1, 1)
        uniques = torch.cat([parts['unique1'], parts['unique2']])
        common_s = parts['common_shallow'].repeat(2, 1, 1)
        uniques_s = torch.cat(
            [parts['unique1_shallow'], parts['unique2_shallow']])
        fused = self.fusion_deep(common, uniques) + \
            self.fusion_shallow(common_s, uniques_s)
        return fused[:n] + fused[n:]

    def refine(self, fused: torch.Tensor) -> torch.Tensor:
        """``f' = RB2(RB1(f))``."""
        for block in self.refine_blocks:
            fused = block(fused)
        return fused

    def forward(self, deep1: torch.Tensor, shallow1: torch.Tensor,
                deep2: torch.Tensor,
                shallow2: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Decompose and fuse a pair of encoded sources.

        Args:
            deep1, shallow1, deep2, shallow2 (Tensor): Encoder outputs of the
                two sources, each (N, 1 + L, C).

        Returns:
            dict: ``parts`` (the dict of :meth:`decompose`), ``common``,
            ``unique1``, ``unique2`` (deep + shallow, inputs of the image
            heads), ``fused`` (``f``) and ``fused_feat`` (``f' + f``, the
            input of the fused image head), each (N, 1 + L, C).
        """
        parts = self.decompose(deep1, shallow1, deep2, shallow2)
        fused = self.fuse(parts)
        out = {k: parts[k] + parts[f'{k}_shallow'] for k in PART_KEYS}
        out.update(
            parts=parts, fused=fused, fused_feat=self.refine(fused) + fused)
        return out
