"""Chen-Varshney fusion metric Qcv (Inf. Fusion 2007), lower is better,
following Z. Liu's reference implementation (``metricChen.m``) as used by
VIFB. Grey (H, W) images on [0, 255]."""
import numpy as np

from .filtering import correlate

_SOBEL_X = np.array([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]])
_SOBEL_Y = _SOBEL_X.T.copy()


def _normalise(img):
    """Min-max to [0, 255], rounded (halves away from zero)."""
    img = np.asarray(img, dtype=np.float64)
    lo, hi = img.min(), img.max()
    if hi == lo:
        return img if hi == 0 else np.zeros_like(img)
    return np.floor((img - lo) / (hi - lo) * 255 + 0.5)


def _block_sums(x, size):
    """Sums over size x size blocks (partial blocks at the border kept, as
    MATLAB ``blkproc`` pads with zeros)."""
    h, w = x.shape
    hp, wp = -(-h // size) * size, -(-w // size) * size
    pad = np.zeros((hp, wp), dtype=x.dtype)
    pad[:h, :w] = x
    return pad.reshape(hp // size, size, wp // size, size).sum(axis=(1, 3))


def _frequency_grid(n):
    """MATLAB ``freqspace`` frequencies for n samples, in [-1, 1)."""
    return (np.arange(n) - n // 2) * (2.0 / n)


def _csf_mannos_sakrison(h, w):
    u = _frequency_grid(w)[None, :] * (w / 8)
    v = _frequency_grid(h)[:, None] * (h / 8)
    r = np.sqrt(u**2 + v**2)
    return 2.6 * (0.0192 + 0.144 * r) * np.exp(-(0.144 * r)**1.1)


def qcv(img_a, img_b, fused, window: int = 16, alpha: float = 5.0) -> float:
    """Qcv = sum_w (lambda_A D_A + lambda_B D_B) / sum_w (lambda_A +
    lambda_B) over 16 x 16 regions w: lambda = sum of Sobel magnitude^alpha
    of the source, D = mean square of the CSF (Mannos-Sakrison) filtered
    difference source - fused. Images are min-max normalised to 0..255
    first."""
    a, b, f = (_normalise(i) for i in (img_a, img_b, fused))
    h, w = a.shape
    lam = []
    for img in (a, b):
        gx = correlate(img, _SOBEL_X, 'same')
        gy = correlate(img, _SOBEL_Y, 'same')
        lam.append(_block_sums(np.sqrt(gx * gx + gy * gy)**alpha, window))
    csf = _csf_mannos_sakrison(h, w)
    dist = []
    for img in (a, b):
        spec = np.fft.fftshift(np.fft.fft2(img - f)) * csf
        filtered = np.fft.ifft2(np.fft.ifftshift(spec))
        dist.append(_block_sums(filtered**2, window) / window**2)
    q = (lam[0] * dist[0] + lam[1] * dist[1]).sum() / (lam[0] + lam[1]).sum()
    return float(np.real(q))
