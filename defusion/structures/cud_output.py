"""Typed output of the CUD neck (decomposition + fusion) of DeFusion++."""
from typing import NamedTuple, Optional, Tuple

import torch


class CUDOutput(NamedTuple):
    """What :class:`~defusion.models.necks.CUDNeck` hands to the heads.

    Every token tensor is (N, 1 + L, C) with the cls token first, L = h * w.

    Attributes:
        common (Tensor): Common part (deep + shallow path), the input of the
            common image decoder.
        unique_a (Tensor): Unique part of source a (deep + shallow).
        unique_b (Tensor): Unique part of source b.
        fused (Tensor): Fused feature ``f``.
        fused_feat (Tensor): ``f' + f`` (after the refine blocks), the input
            of the fused image decoder and the downstream feature map.
        grid_size (tuple[int, int]): Patch grid (h, w).
        mfm_tokens (Tensor, optional): Training only: the fused and refined
            tokens of the kept (unmasked) patches, (N, 1 + K, C).
        ids_restore (Tensor, optional): Training only: (N, L) indices that
            put [kept, masked] patches back in grid order.
    """
    common: torch.Tensor
    unique_a: torch.Tensor
    unique_b: torch.Tensor
    fused: torch.Tensor
    fused_feat: torch.Tensor
    grid_size: Tuple[int, int]
    mfm_tokens: Optional[torch.Tensor] = None
    ids_restore: Optional[torch.Tensor] = None
