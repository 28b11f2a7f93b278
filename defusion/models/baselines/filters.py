"""Image filters used by the classical baselines (vectorised torch).

All functions take (N, C, H, W) float tensors and filter each channel on its
own; borders are handled so that the output has the input's size.
"""
import math

import torch
import torch.nn.functional as F


def _box_sum_1d(x: torch.Tensor, radius: int, dim: int) -> torch.Tensor:
    """Mean over a clipped window along ``dim`` via cumulative sums (cost
    independent of the radius; float64 accumulation)."""
    size = x.shape[dim]
    csum = torch.cumsum(x.double(), dim=dim)
    csum = torch.cat([torch.zeros_like(csum.narrow(dim, 0, 1)), csum], dim)
    idx = torch.arange(size, device=x.device)
    hi = (idx + radius).clamp(max=size - 1) + 1
    lo = (idx - radius).clamp(min=0)
    sums = csum.index_select(dim, hi) - csum.index_select(dim, lo)
    shape = [1] * x.dim()
    shape[dim] = size
    return (sums / (hi - lo).to(sums.dtype).view(shape)).to(x.dtype)


def box_filter(x: torch.Tensor, radius: int) -> torch.Tensor:
    """Mean over a (2r+1) x (2r+1) window clipped to the image.

    Near the border only pixels inside the image are averaged (as in He et
    al.'s ``boxfilter(I, r) / N``). Separable; small radii use average
    pooling, large ones cumulative sums (O(1) per pixel).

    Args:
        x (Tensor): (N, C, H, W).
        radius (int): Window radius r >= 0.

    Returns:
        Tensor: (N, C, H, W).
    """
    if radius <= 0:
        return x
    if radius > 8:
        return _box_sum_1d(_box_sum_1d(x, radius, -2), radius, -1)
    size = 2 * radius + 1
    x = F.avg_pool2d(
        x, (size, 1), stride=1, padding=(radius, 0), count_include_pad=False)
    return F.avg_pool2d(
        x, (1, size), stride=1, padding=(0, radius), count_include_pad=False)


def _reflect_pad(x: torch.Tensor, pad: int) -> torch.Tensor:
    """Reflect padding on the last two dims; replicate where too small."""
    h, w = x.shape[-2:]
    mode = 'reflect' if pad < h and pad < w else 'replicate'
    return F.pad(x, (pad, pad, pad, pad), mode=mode)


def filter2d(x: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """Correlate every channel with the same odd-sized 2-D ``kernel``
    (reflect borders)."""
    k = kernel.to(dtype=x.dtype, device=x.device)
    kh, kw = k.shape
    if kh != kw or kh % 2 == 0:
        raise ValueError('kernel must be square and odd, got '
                         f'{tuple(k.shape)}')
    n, c, h, w = x.shape
    flat = _reflect_pad(x.reshape(n * c, 1, h, w), kh // 2)
    return F.conv2d(flat, k.view(1, 1, kh, kw)).view(n, c, h, w)


def gaussian_kernel(radius: int, sigma: float) -> torch.Tensor:
    """Normalised (2r+1) x (2r+1) Gaussian kernel."""
    coords = torch.arange(-radius, radius + 1, dtype=torch.float64)
    g = torch.exp(-coords**2 / (2 * sigma**2))
    kernel = torch.outer(g, g)
    return (kernel / kernel.sum()).float()


def gaussian_filter(x: torch.Tensor, radius: int,
                    sigma: float) -> torch.Tensor:
    """Separable Gaussian blur with a (2r+1) window (reflect borders)."""
    coords = torch.arange(-radius, radius + 1, dtype=x.dtype, device=x.device)
    g = torch.exp(-coords**2 / (2 * sigma**2))
    g = g / g.sum()
    n, c, h, w = x.shape
    flat = _reflect_pad(x.reshape(n * c, 1, h, w), radius)
    flat = F.conv2d(flat, g.view(1, 1, -1, 1))
    flat = F.conv2d(flat, g.view(1, 1, 1, -1))
    return flat.view(n, c, h, w)


LAPLACIAN_KERNEL = torch.tensor([[0., 1., 0.], [1., -4., 1.], [0., 1., 0.]])


def laplacian(x: torch.Tensor) -> torch.Tensor:
    """3x3 Laplacian (4-neighbour) of every channel."""
    return filter2d(x, LAPLACIAN_KERNEL)


def guided_filter(guide: torch.Tensor, src: torch.Tensor, radius: int,
                  eps: float) -> torch.Tensor:
    """Grey-guide guided filter (He, Sun, Tang, TPAMI 2013).

    Args:
        guide (Tensor): (N, 1, H, W) guidance image.
        src (Tensor): (N, C, H, W) image to filter.
        radius (int): Window radius.
        eps (float): Regularisation.

    Returns:
        Tensor: (N, C, H, W) filtered ``src``.
    """
    mean_i = box_filter(guide, radius)
    mean_p = box_filter(src, radius)
    cov_ip = box_filter(guide * src, radius) - mean_i * mean_p
    var_i = box_filter(guide * guide, radius) - mean_i * mean_i
    a = cov_ip / (var_i + eps)
    b = mean_p - a * mean_i
    return box_filter(a, radius) * guide + box_filter(b, radius)


def max_levels(height: int, width: int, min_size: int = 8) -> int:
    """How many times an image can be halved before a side < ``min_size``."""
    side = min(height, width)
    if side < 2 * min_size:
        return 0
    return int(math.floor(math.log2(side / min_size)))
