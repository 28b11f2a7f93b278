"""Random patch-token masking (MAE style) for masked feature modeling."""
from typing import Tuple

import torch


def random_masking(num_samples: int, num_patches: int, mask_ratio: float,
                   device=None) -> Tuple[torch.Tensor, torch.Tensor]:
    """Draw the patches to keep, independently per sample.

    Returns:
        tuple[Tensor]: ``ids_keep`` (N, K) indices of the kept patches,
        K = max(1, int(L * (1 - mask_ratio))), and ``ids_restore`` (N, L)
        that puts [kept, dropped] back in patch order.
    """
    num_keep = max(1, int(num_patches * (1 - mask_ratio)))
    noise = torch.rand(num_samples, num_patches, device=device)
    ids_shuffle = noise.argsort(dim=1)
    ids_restore = ids_shuffle.argsort(dim=1)
    return ids_shuffle[:, :num_keep], ids_restore


def gather_tokens(tokens: torch.Tensor,
                  ids_keep: torch.Tensor) -> torch.Tensor:
    """Keep the cls token and the patches ``ids_keep``:
    (N, 1 + L, C) -> (N, 1 + K, C)."""
    index = ids_keep.unsqueeze(-1).expand(-1, -1, tokens.shape[-1])
    kept = torch.gather(tokens[:, 1:], 1, index)
    return torch.cat([tokens[:, :1], kept], dim=1)
