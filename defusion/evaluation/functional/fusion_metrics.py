"""Fusion metric suite with a ``convention`` switch.

``compute_fusion_metrics(img_a, img_b, fused, metrics, convention)`` takes
the two sources and the fused image as numpy arrays on the [0, 255] scale,
each (H, W) grey or (H, W, 3) RGB, and returns ``{name: value}``.

Conventions (see ``docs/metrics.md``):

- ``'default'``: colour images are reduced to their BT.601 luma
  Y = 0.299 R + 0.587 G + 0.114 B (float, no rounding) and every metric is
  computed once on the grey images, with the fusion-literature definitions
  of the fusion literature (MI in bits, SSIM and MI as sums over the sources...).
- ``'vifb'``: reproduces the MATLAB code of the VIFB benchmark for the
  metrics it computes (CE, EN, MI, PSNR, AG, EI, Qabf, SD, SF, RMSE, SSIM,
  Qcb, Qcv):
  a colour fused image is evaluated per RGB channel against the same
  channel of each source (grey sources used for every channel) and the
  channel values are averaged; MI in nats with min-max binning; VIFB's
  PSNR / RMSE "mse"; SF over the channels laid side by side. A grey fused
  image with a colour source uses MATLAB ``rgb2gray`` (rounded) on it.
  Metrics VIFB does not compute use the default definition.
"""
from functools import partial

import numpy as np

from defusion.utils.colour import rgb_to_luma_np

from .fusion_similarity import psnr_fusion, rmse_fusion, ssim_fusion
from .gradient import average_gradient, edge_intensity, spatial_frequency
from .information import cross_entropy, entropy, mutual_information
from .mef_ssim import mef_ssim_fusion
from .ms_ssim import ms_ssim_fusion
from .chen_blum import qcb
from .chen_varshney import qcv
from .edge_preservation import nabf, qabf
from .statistics import (correlation_coefficient, standard_deviation,
                         sum_of_correlation_differences)
from .vif import vif

CONVENTIONS = ('default', 'vifb')

# Lower is better for these; all others: higher is better.
LOWER_IS_BETTER = ('Nabf', 'CE', 'RMSE', 'Qcv')

# Metric name -> function(a, b, f) on grey float images, 'default' convention.
DEFAULT_FUNCTIONS = {
    'EN': lambda a, b, f: entropy(f),
    'SD': lambda a, b, f: standard_deviation(f),
    'SF': lambda a, b, f: spatial_frequency(f),
    'AG': lambda a, b, f: average_gradient(f),
    'EI': lambda a, b, f: edge_intensity(f),
    'MI': mutual_information,
    'CE': cross_entropy,
    'SCD': sum_of_correlation_differences,
    'CC': correlation_coefficient,
    'VIF': vif,
    'Qabf': qabf,
    'Nabf': nabf,
    'SSIM': ssim_fusion,
    'MS-SSIM': ms_ssim_fusion,
    'PSNR': psnr_fusion,
    'RMSE': rmse_fusion,
    'MEF-SSIM': mef_ssim_fusion,
    'Qcb': qcb,
    'Qcv': qcv,
}

# VIFB's per-channel definitions (applied to each channel of the fused image).
VIFB_FUNCTIONS = {
    'EN': lambda a, b, f: entropy(f, rounding='floor'),
    'SD': lambda a, b, f: standard_deviation(f),
    'AG': lambda a, b, f: average_gradient(f, normalise='vifb'),
    'EI': lambda a, b, f: edge_intensity(f),
    'MI': partial(mutual_information, base=np.e, binning='minmax'),
    'CE': cross_entropy,
    'Qabf': partial(qabf, vifb=True),
    'SSIM': ssim_fusion,
    'PSNR': partial(psnr_fusion, variant='vifb'),
    'RMSE': partial(rmse_fusion, variant='vifb'),
    'Qcb': qcb,
    'Qcv': qcv,
}

VIFB_METRICS = tuple(VIFB_FUNCTIONS) + ('SF', )
METRIC_NAMES = tuple(DEFAULT_FUNCTIONS)
DEFAULT_METRICS = ('EN', 'SD', 'SF', 'AG', 'MI', 'SCD', 'CC', 'VIF', 'Qabf',
                   'Nabf', 'SSIM', 'PSNR')

# MATLAB rgb2gray: first row of inv of the NTSC YIQ matrix.
_MATLAB_GREY = np.linalg.inv(
    np.array([[1.0, 0.956, 0.621], [1.0, -0.272, -0.647],
              [1.0, -1.106, 1.703]]))[0]


def grey_for_metric(img: np.ndarray, convention: str = 'default') -> np.ndarray:
    """Grey version of an (H, W) or (H, W, 3) image on [0, 255].

    ``'default'``: BT.601 luma, float. ``'vifb'``: MATLAB ``rgb2gray``
    weights, rounded like MATLAB does for uint8 images.
    """
    img = np.asarray(img, dtype=np.float64)
    if img.ndim == 2:
        return img
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f'expected an (H, W) or (H, W, 3) image, got shape '
                         f'{img.shape}')
    if convention == 'vifb':
        return np.floor(img @ _MATLAB_GREY + 0.5)
    return rgb_to_luma_np(img)


def check_names(metrics, convention):
    """Validate metric names and convention, return the names as a list."""
    if convention not in CONVENTIONS:
        raise ValueError(f'unknown convention {convention!r}; expected one '
                         f'of {CONVENTIONS}')
    if isinstance(metrics, str):
        metrics = [metrics]
    unknown = [m for m in metrics if m not in DEFAULT_FUNCTIONS]
    if unknown:
        raise ValueError(f'unknown fusion metric(s) {unknown}; available: '
                         f'{list(METRIC_NAMES)}')
    return list(metrics)


def _as_image(img, name):
    if hasattr(img, 'detach'):  # torch tensor
        img = img.detach().cpu().numpy()
    img = np.asarray(img, dtype=np.float64)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] != 3):
        raise ValueError(f'{name} must be (H, W) or (H, W, 3), got shape '
                         f'{img.shape}')
    return img


def _channel(img, k):
    return img[..., k] if img.ndim == 3 else img


def _vifb_value(name, a, b, f):
    """VIFB's handling of a colour fused image: per channel, then mean."""
    if name == 'SF':
        # MATLAB size() folds the channels into the width: the channels side
        # by side form one (H, 3W) image.
        if f.ndim == 3:
            f = np.concatenate([f[..., k] for k in range(3)], axis=1)
        return spatial_frequency(f, 'pixels')
    if f.ndim == 2:
        return VIFB_FUNCTIONS[name](grey_for_metric(a, 'vifb'),
                                    grey_for_metric(b, 'vifb'), f)
    return float(
        np.mean([
            VIFB_FUNCTIONS[name](_channel(a, k), _channel(b, k), f[..., k])
            for k in range(3)
        ]))


def compute_fusion_metrics(img_a,
                           img_b,
                           fused,
                           metrics=DEFAULT_METRICS,
                           convention: str = 'default') -> dict:
    """Compute fusion metrics for one source pair and its fused image.

    Args:
        img_a, img_b: sources, (H, W) or (H, W, 3) on [0, 255] (numpy or
            torch). For VIFB, ``img_a`` is the visible and ``img_b`` the
            infrared image.
        fused: fused image, (H, W) or (H, W, 3) on [0, 255].
        metrics (Sequence[str]): names from ``METRIC_NAMES``.
        convention (str): ``'default'`` or ``'vifb'``.

    Returns:
        dict[str, float]: metric name -> value.
    """
    metrics = check_names(metrics, convention)
    a = _as_image(img_a, 'img_a')
    b = _as_image(img_b, 'img_b')
    f = _as_image(fused, 'fused')
    if not (a.shape[:2] == b.shape[:2] == f.shape[:2]):
        raise ValueError(f'sources and fused image must have the same '
                         f'height and width, got img_a {a.shape[:2]}, '
                         f'img_b {b.shape[:2]}, fused {f.shape[:2]}')
    results = {}
    grey = None
    for name in metrics:
        if convention == 'vifb' and name in VIFB_METRICS:
            results[name] = _vifb_value(name, a, b, f)
            continue
        if grey is None:
            grey = [grey_for_metric(i) for i in (a, b, f)]
        results[name] = float(DEFAULT_FUNCTIONS[name](*grey))
    return results
