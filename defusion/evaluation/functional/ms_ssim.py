"""Multi-scale SSIM (Wang, Simoncelli & Bovik 2003) on grey images."""
import numpy as np

from .filtering import correlate
from .fusion_similarity import ssim_grey

MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def downsample2(img: np.ndarray) -> np.ndarray:
    """2x2 mean ('symmetric' border, MATLAB centre) then keep every 2nd."""
    return correlate(img, np.full((2, 2), 0.25), 'same', 'symmetric')[::2,
                                                                      ::2]


def ms_ssim(x: np.ndarray,
            y: np.ndarray,
            data_range: float = 255.0,
            weights=MS_SSIM_WEIGHTS) -> float:
    """MS-SSIM = prod_{j<M} cs_j^{w_j} * ssim_M^{w_M} (Gaussian 11 / 1.5,
    'valid'); negative cs / ssim values are clipped to 0.

    Args:
        x, y (np.ndarray): grey images (H, W); min side >= 11 * 2^(M-1)
            (176 for the 5 standard scales).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f'MS-SSIM needs images of the same shape, got '
                         f'{x.shape} and {y.shape}')
    levels = len(weights)
    need = 11 * 2**(levels - 1)
    if min(x.shape) < need:
        raise ValueError(f'MS-SSIM with {levels} scales needs images of at '
                         f'least {need} pixels a side, got {x.shape}')
    value = 1.0
    for level, w in enumerate(weights):
        s, cs = ssim_grey(x, y, data_range=data_range, return_cs=True)
        term = s if level == levels - 1 else cs
        value *= max(term, 0.0)**w
        if level < levels - 1:
            x, y = downsample2(x), downsample2(y)
    return float(value)


def ms_ssim_fusion(img_a, img_b, fused) -> float:
    """MS-SSIM fusion metric: MS-SSIM(A, F) + MS-SSIM(B, F)."""
    return ms_ssim(img_a, fused) + ms_ssim(img_b, fused)
