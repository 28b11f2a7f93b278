"""Gradient based no-reference metrics: spatial frequency (SF), average
gradient (AG), edge intensity (EI). Grey images (H, W) on [0, 255]."""
import numpy as np

from .filtering import correlate


def spatial_frequency(img: np.ndarray, normalise: str = 'diffs') -> float:
    """SF = sqrt(RF^2 + CF^2) with first differences along rows/columns.

    Args:
        img (np.ndarray): (H, W) image.
        normalise (str): ``'diffs'``: RF^2, CF^2 are means over the
            H (W-1) resp. (H-1) W differences (literature default);
            ``'pixels'``: sums divided by H W (VIFB).
    """
    img = np.asarray(img, dtype=np.float64)
    rf = np.square(np.diff(img, axis=1))
    cf = np.square(np.diff(img, axis=0))
    if normalise == 'diffs':
        return float(np.sqrt(rf.mean() + cf.mean()))
    if normalise == 'pixels':
        return float(np.sqrt((rf.sum() + cf.sum()) / img.size))
    raise ValueError(f"normalise must be 'diffs' or 'pixels', "
                     f'got {normalise!r}')


def average_gradient(img: np.ndarray, normalise: str = 'pixels') -> float:
    """AG: mean of sqrt((Gx^2 + Gy^2) / 2), G from central differences
    (one-sided at the border, like MATLAB ``gradient``).

    Args:
        normalise (str): ``'pixels'`` divide the sum by H W (default);
            ``'vifb'`` divide by (H - 1)(W - 1) like VIFB.
    """
    img = np.asarray(img, dtype=np.float64)
    gy, gx = np.gradient(img)
    total = np.sqrt((gx**2 + gy**2) / 2).sum()
    h, w = img.shape
    if normalise == 'pixels':
        return float(total / (h * w))
    if normalise == 'vifb':
        return float(total / ((h - 1) * (w - 1)))
    raise ValueError(f"normalise must be 'pixels' or 'vifb', "
                     f'got {normalise!r}')


SOBEL = np.array([[1., 2., 1.], [0., 0., 0.], [-1., -2., -1.]])


def edge_intensity(img: np.ndarray) -> float:
    """EI: mean Sobel gradient magnitude (border replicated, as VIFB)."""
    gx = correlate(img, SOBEL, 'same', 'replicate')
    gy = correlate(img, SOBEL.T, 'same', 'replicate')
    return float(np.sqrt(gx**2 + gy**2).mean())
