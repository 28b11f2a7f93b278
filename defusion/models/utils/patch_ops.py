"""Conversions between images and per-patch pixel vectors."""
from typing import Tuple

import torch


def unpatchify(patches: torch.Tensor, grid_size: Tuple[int, int],
               patch_size: int) -> torch.Tensor:
    """Patch pixel vectors back to an image.

    Args:
        patches (Tensor): (N, h * w, p * p * C), each vector ordered
            (row in patch, column in patch, channel) as in MAE.
        grid_size (tuple): (h, w) patch grid.
        patch_size (int): p.

    Returns:
        Tensor: (N, C, h * p, w * p).
    """
    n, num, dims = patches.shape
    h, w = grid_size
    p = patch_size
    if num != h * w or dims % (p * p) != 0:
        raise ValueError(f'cannot unpatchify {tuple(patches.shape)} to a '
                         f'{h}x{w} grid of {p}x{p} patches')
    c = dims // (p * p)
    x = patches.reshape(n, h, w, p, p, c).permute(0, 5, 1, 3, 2, 4)
    return x.reshape(n, c, h * p, w * p)


def patchify(imgs: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Inverse of :func:`unpatchify`: (N, C, H, W) -> (N, L, p * p * C)."""
    n, c, h, w = imgs.shape
    p = patch_size
    if h % p or w % p:
        raise ValueError(f'image size {(h, w)} is not a multiple of the '
                         f'patch size {p}')
    x = imgs.reshape(n, c, h // p, p, w // p, p).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(n, (h // p) * (w // p), p * p * c)


def tokens_to_map(tokens: torch.Tensor,
                  grid_size: Tuple[int, int]) -> torch.Tensor:
    """Patch tokens (N, 1 + h * w, C), cls first -> feature map (N, C, h,
    w), the cls token dropped."""
    n, _, c = tokens.shape
    return tokens[:, 1:].transpose(1, 2).reshape(n, c, *grid_size)
