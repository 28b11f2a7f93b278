"""Fixed 2-D sin-cos position embeddings and their resizing."""
from typing import Tuple

import torch
import torch.nn.functional as F


def sincos_pos_embed_1d(embed_dims: int, pos: torch.Tensor) -> torch.Tensor:
    """1-D sin-cos embedding of positions ``pos`` (M,) -> (M, embed_dims)."""
    if embed_dims % 2 != 0:
        raise ValueError(f'embed_dims must be even, got {embed_dims}')
    omega = torch.arange(embed_dims // 2, dtype=torch.float64)
    omega = 1.0 / 10000**(omega / (embed_dims / 2.0))
    angles = pos.double().reshape(-1, 1) * omega.reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1).float()


def sincos_pos_embed_2d(embed_dims: int,
                        grid_size: Tuple[int, int],
                        cls_token: bool = True) -> torch.Tensor:
    """2-D sin-cos table for a (h, w) patch grid, MAE layout.

    The first half of the channels encodes the column (x), the second half
    the row (y). With ``cls_token`` a zero row is put first.

    Returns:
        Tensor: (1, [1 +] h * w, embed_dims).
    """
    if embed_dims % 4 != 0:
        raise ValueError('embed_dims must be a multiple of 4 for a 2-D '
                         f'sin-cos position embedding, got {embed_dims}')
    h, w = grid_size
    rows, cols = torch.meshgrid(
        torch.arange(h), torch.arange(w), indexing='ij')
    emb = torch.cat([
        sincos_pos_embed_1d(embed_dims // 2, cols.flatten()),
        sincos_pos_embed_1d(embed_dims // 2, rows.flatten())
    ], dim=1)
    if cls_token:
        emb = torch.cat([emb.new_zeros(1, embed_dims), emb], dim=0)
    return emb.unsqueeze(0)


def resize_pos_embed(pos_embed: torch.Tensor,
                     src_shape: Tuple[int, int],
                     dst_shape: Tuple[int, int],
                     num_extra_tokens: int = 1,
                     mode: str = 'bicubic') -> torch.Tensor:
    """Interpolate a position table (1, E + h0 * w0, C) to a new grid.

    Args:
        pos_embed (Tensor): Table with ``num_extra_tokens`` leading tokens.
        src_shape (tuple): (h0, w0) grid of ``pos_embed``.
        dst_shape (tuple): (h, w) grid wanted.
        num_extra_tokens (int): Leading tokens kept as they are (cls).
        mode (str): Interpolation mode. Defaults to 'bicubic'.

    Returns:
        Tensor: (1, E + h * w, C).
    """
    src_shape, dst_shape = tuple(src_shape), tuple(dst_shape)
    if src_shape == dst_shape:
        return pos_embed
    h0, w0 = src_shape
    if pos_embed.shape[1] != num_extra_tokens + h0 * w0:
        raise ValueError(f'pos_embed has {pos_embed.shape[1]} tokens, '
                         f'expected {num_extra_tokens} + {h0}*{w0}')
    extra = pos_embed[:, :num_extra_tokens]
    grid = pos_embed[:, num_extra_tokens:].reshape(1, h0, w0, -1)
    grid = F.interpolate(
        grid.permute(0, 3, 1, 2).float(),
        size=dst_shape,
        mode=mode,
        align_corners=False)
    grid = grid.flatten(2).transpose(1, 2).to(pos_embed.dtype)
    return torch.cat([extra, grid], dim=1)


def adopt_pos_embed(module: torch.nn.Module, state_dict: dict, key: str,
                    num_extra_tokens: int = 1) -> None:
    """Make ``module.pos_embed`` the table stored under ``key`` if their
    grids differ, so that a model keeps the exact table it was trained with.

    A checkpoint trained at 96 px holds a 6 x 6 table; a model built for
    224 px (14 x 14) that loads it takes the 6 x 6 table and its
    ``base_grid``, and interpolates from there at run time. Call it from
    ``_load_from_state_dict`` before the default loading.
    """
    table = state_dict.get(key)
    if table is None or table.shape == module.pos_embed.shape:
        return
    num_patches = table.shape[1] - num_extra_tokens
    side = int(round(num_patches**0.5))
    if table.dim() != 3 or table.shape[2] != module.pos_embed.shape[2] \
            or side * side != num_patches:
        raise ValueError(f'{key}: cannot use a position table of shape '
                         f'{tuple(table.shape)} for a model with '
                         f'{tuple(module.pos_embed.shape)}')
    module.base_grid = (side, side)
    module.pos_embed = torch.zeros_like(
        table, dtype=module.pos_embed.dtype, device=module.pos_embed.device)
