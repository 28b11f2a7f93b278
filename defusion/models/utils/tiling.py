"""Tiled inference: fuse overlapping tiles and blend them without seams."""
import math
from typing import Callable, Dict, List, Optional

import torch


def tile_starts(length: int, tile: int, stride: int) -> List[int]:
    """Start offsets of tiles of size ``tile`` covering ``length``; the last
    tile is aligned with the end."""
    if length <= tile:
        return [0]
    starts = list(range(0, length - tile, stride))
    starts.append(length - tile)
    return starts


def ramp_window(length: int, overlap: int, device=None) -> torch.Tensor:
    """1-D blending weights: a raised-cosine ramp over ``overlap`` pixels at
    both ends, 1 in between. All weights are > 0."""
    weights = torch.ones(length, device=device)
    ramp = min(overlap, length // 2)
    if ramp > 0:
        t = (torch.arange(ramp, device=device, dtype=torch.float32) + 0.5)
        rise = 0.5 - 0.5 * torch.cos(math.pi * t / ramp)
        weights[:ramp] = rise
        weights[length - ramp:] = rise.flip(0)
    return weights


def fuse_tiled(fuse_fn: Callable[[torch.Tensor], Dict[str, torch.Tensor]],
               inputs: torch.Tensor,
               tile_size: int = 512,
               tile_overlap: int = 64,
               progress: Optional[Callable[[int, int], None]] = None
               ) -> Dict[str, torch.Tensor]:
    """Apply ``fuse_fn`` to overlapping tiles and blend the results.

    Each output pixel is the weighted mean of the tiles that cover it, with
    the weights of :func:`ramp_window` (smooth transitions, no seams).

    Args:
        fuse_fn (callable): Maps (N, 2, C, h, w) to a dict of (N, C', h, w)
            tensors (e.g. ``fused``, ``common``, ...).
        inputs (Tensor): (N, 2, C, H, W).
        tile_size (int): Tile side (the model checks it is a multiple of
            its size divisor). Defaults to 512.
        tile_overlap (int): Overlap between neighbouring tiles, smaller than
            ``tile_size``. Defaults to 64.
        progress (callable, optional): Called as ``progress(done, total)``
            after every tile (e.g. to update a progress bar).

    Returns:
        dict: The blended (N, C', H, W) outputs.
    """
    if tile_size <= 0 or not 0 <= tile_overlap < tile_size:
        raise ValueError(f'need tile_size > 0 and 0 <= tile_overlap < '
                         f'tile_size, got {tile_size} and {tile_overlap}')
    height, width = inputs.shape[-2:]
    stride = tile_size - tile_overlap
    sums: Dict[str, torch.Tensor] = {}
    total = None
    tiles = [(top, left) for top in tile_starts(height, tile_size, stride)
             for left in tile_starts(width, tile_size, stride)]
    for done, (top, left) in enumerate(tiles, 1):
        tile = inputs[..., top:top + tile_size, left:left + tile_size]
        th, tw = tile.shape[-2:]
        outputs = fuse_fn(tile)
        window = (ramp_window(th, tile_overlap, inputs.device)[:, None] *
                  ramp_window(tw, tile_overlap, inputs.device)[None, :])
        if total is None:
            total = inputs.new_zeros(height, width)
        total[top:top + th, left:left + tw] += window
        for key, value in outputs.items():
            if key not in sums:
                sums[key] = value.new_zeros(*value.shape[:-2], height,
                                            width)
            sums[key][..., top:top + th, left:left + tw] += value * window
        if progress is not None:
            progress(done, len(tiles))
    return {key: value / total for key, value in sums.items()}
