"""Statistical metrics: standard deviation (SD), correlation coefficient
(CC) and sum of the correlations of differences (SCD)."""
import numpy as np


def standard_deviation(img: np.ndarray) -> float:
    """SD: population standard deviation of the grey levels."""
    return float(np.asarray(img, dtype=np.float64).std())


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two images (MATLAB ``corr2``); 0 when one
    image is constant."""
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f'correlation needs images of the same size, got '
                         f'{x.size} and {y.size} pixels')
    x = x - x.mean()
    y = y - y.mean()
    den = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / den) if den > 0 else 0.0


def correlation_coefficient(img_a, img_b, fused) -> float:
    """CC fusion metric: (corr(A, F) + corr(B, F)) / 2."""
    return (correlation(img_a, fused) + correlation(img_b, fused)) / 2


def sum_of_correlation_differences(img_a, img_b, fused) -> float:
    """SCD (Aslantas & Bendes 2015): corr(F - B, A) + corr(F - A, B)."""
    a, b, f = (np.asarray(i, dtype=np.float64) for i in (img_a, img_b, fused))
    return correlation(f - b, a) + correlation(f - a, b)
