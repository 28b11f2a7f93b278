"""Chen-Blum fusion metric Qcb (Image Vis. Comput. 2009), following Z. Liu's
reference implementation (``metricChenBlum.m``) as used by VIFB.
Grey (H, W) images on [0, 255]."""
import numpy as np

from .chen_varshney import _frequency_grid, _normalise
from .filtering import correlate

# CSF (DoG in frequency) and local contrast constants of the reference code.
F0, F1, A = 15.3870, 1.3456, 0.7622
K, H, P, Q, Z = 1.0, 1.0, 3.0, 2.0, 1e-4


def _gaussian31(sigma):
    """Unnormalised 31 x 31 Gaussian, as ``gaussian2d`` of the reference."""
    x = np.arange(-15, 16, dtype=np.float64)
    return np.exp(-(x[:, None]**2 + x[None, :]**2) /
                  (2 * sigma * sigma)) / (2 * np.pi * sigma * sigma)


def _filter_complex(img, kernel):
    return (correlate(img.real, kernel, 'same') +
            1j * correlate(img.imag, kernel, 'same'))


def _masked_contrast(img, g1, g2):
    """C^p / (C^q + Z) of the local band-limited contrast C = |G1*I / G2*I -
    1|."""
    with np.errstate(divide='ignore', invalid='ignore'):
        c = np.abs(_filter_complex(img, g1) / _filter_complex(img, g2) - 1)
        return K * c**P / (H * c**Q + Z)


def qcb(img_a, img_b, fused) -> float:
    """Qcb: mean over pixels of lambda_A Q_AF + lambda_B Q_BF, with Q_XF the
    ratio (smaller / larger) of the masked contrasts of the CSF-filtered
    source and fused images and lambda_X = C_X^2 / (C_A^2 + C_B^2).
    Images are min-max normalised to 0..255 first."""
    a, b, f = (_normalise(i) for i in (img_a, img_b, fused))
    h, w = a.shape
    u = _frequency_grid(w)[None, :] * (w / 30)
    v = _frequency_grid(h)[:, None] * (h / 30)
    r = np.sqrt(u**2 + v**2)
    csf = np.exp(-(r / F0)**2) - A * np.exp(-(r / F1)**2)
    g1, g2 = _gaussian31(2), _gaussian31(4)
    contrasts = []
    for img in (a, b, f):
        filtered = np.fft.ifft2(
            np.fft.ifftshift(np.fft.fftshift(np.fft.fft2(img)) * csf))
        contrasts.append(_masked_contrast(filtered, g1, g2))
    ca, cb, cf = contrasts
    with np.errstate(divide='ignore', invalid='ignore'):
        q_af = np.where(ca < cf, ca / cf, cf / ca)
        q_bf = np.where(cb < cf, cb / cf, cf / cb)
        lam_a = ca * ca / (ca * ca + cb * cb)
        lam_b = cb * cb / (ca * ca + cb * cb)
    return float(np.mean(lam_a * q_af + lam_b * q_bf))
