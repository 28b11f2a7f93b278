"""Small 2-D filtering helpers for numpy grey images (float64).

MATLAB-compatible behaviour: ``filter2(k, img, 'valid')`` is a correlation,
``conv2(img, k, 'same')`` a convolution with zero padding, ``imfilter`` with
``'replicate'``/``'symmetric'`` a correlation on a padded image. Separable
(rank one) kernels are applied as two 1-D passes.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_NP_PAD = {'zero': 'constant', 'replicate': 'edge', 'symmetric': 'symmetric'}


def _separate(kernel: np.ndarray):
    """Return (column, row) vectors if ``kernel`` is their outer product."""
    i, j = np.unravel_index(np.argmax(np.abs(kernel)), kernel.shape)
    col = kernel[:, j]
    row = kernel[i, :] / kernel[i, j]
    scale = np.abs(kernel).max()
    if np.allclose(np.outer(col, row), kernel, rtol=0, atol=1e-14 * scale):
        return col, row
    return None


def correlate_valid(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """'valid' 2-D correlation (MATLAB ``filter2(kernel, img, 'valid')``)."""
    img = np.asarray(img, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if img.ndim != 2:
        raise ValueError(f'expected a 2-D grey image, got shape {img.shape}')
    kh, kw = kernel.shape
    if img.shape[0] < kh or img.shape[1] < kw:
        raise ValueError(f'image of shape {img.shape} is smaller than the '
                         f'kernel {kernel.shape}')
    parts = _separate(kernel)
    if parts is not None:
        col, row = parts
        out = sliding_window_view(img, kw, axis=1) @ row
        return sliding_window_view(out, kh, axis=0) @ col
    h, w = img.shape[0] - kh + 1, img.shape[1] - kw + 1
    out = np.zeros((h, w))
    for u in range(kh):
        for v in range(kw):
            if kernel[u, v] != 0:
                out += kernel[u, v] * img[u:u + h, v:v + w]
    return out


def correlate(img: np.ndarray,
              kernel: np.ndarray,
              mode: str = 'valid',
              pad: str = 'zero') -> np.ndarray:
    """2-D correlation of a grey image with a kernel (float64).

    Args:
        img (np.ndarray): (H, W) image.
        kernel (np.ndarray): (kh, kw) kernel.
        mode (str): ``'valid'`` or ``'same'`` (kernel centre as MATLAB's
            ``imfilter``: ``(k - 1) // 2`` zero based).
        pad (str): border for ``'same'``: ``'zero'``, ``'replicate'`` or
            ``'symmetric'`` (mirror including the edge pixel).
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if mode == 'same':
        if pad not in _NP_PAD:
            raise ValueError(f'unknown pad {pad!r}')
        kh, kw = kernel.shape
        top, left = (kh - 1) // 2, (kw - 1) // 2
        img = np.pad(
            np.asarray(img, dtype=np.float64),
            ((top, kh - 1 - top), (left, kw - 1 - left)), mode=_NP_PAD[pad])
    elif mode != 'valid':
        raise ValueError(f"mode must be 'valid' or 'same', got {mode!r}")
    return correlate_valid(img, kernel)


def convolve_same(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """MATLAB ``conv2(img, kernel, 'same')``: zero padding, flipped kernel,
    output centred at ``k // 2``."""
    kernel = np.asarray(kernel, dtype=np.float64)[::-1, ::-1]
    kh, kw = kernel.shape
    top, left = kh // 2, kw // 2
    img = np.pad(
        np.asarray(img, dtype=np.float64),
        ((top, kh - 1 - top), (left, kw - 1 - left)))
    return correlate_valid(img, kernel)


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """MATLAB ``fspecial('gaussian', size, sigma)`` (sums to 1)."""
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-(x[:, None]**2 + x[None, :]**2) / (2 * sigma**2))
    g[g < np.finfo(float).eps * g.max()] = 0
    return g / g.sum()
