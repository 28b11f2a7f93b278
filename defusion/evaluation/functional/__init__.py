"""defusion.evaluation.functional: metric functions (torch / numpy)."""
from .fusion_metrics import (CONVENTIONS, DEFAULT_METRICS, LOWER_IS_BETTER,
                             METRIC_NAMES, compute_fusion_metrics,
                             grey_for_metric)
from .fusion_similarity import psnr_fusion, rmse_fusion, ssim_fusion
from .gradient import average_gradient, edge_intensity, spatial_frequency
from .information import (cross_entropy, entropy, mutual_information,
                          mutual_information_pair)
from .mef_ssim import mef_ssim, mef_ssim_fusion
from .ms_ssim import ms_ssim, ms_ssim_fusion
from .psnr import psnr
from .chen_blum import qcb
from .chen_varshney import qcv
from .edge_preservation import nabf, qabf
from .ssim import gaussian_window, ssim, ssim_map
from .statistics import (correlation, correlation_coefficient,
                         standard_deviation, sum_of_correlation_differences)
from .vif import vif, vif_pixel

__all__ = [
    'ssim', 'ssim_map', 'psnr', 'gaussian_window', 'entropy',
    'mutual_information', 'mutual_information_pair', 'cross_entropy',
    'standard_deviation', 'spatial_frequency', 'average_gradient',
    'edge_intensity', 'correlation', 'correlation_coefficient',
    'sum_of_correlation_differences', 'vif', 'vif_pixel', 'qabf', 'nabf',
    'qcb', 'qcv', 'ssim_fusion', 'psnr_fusion', 'rmse_fusion', 'ms_ssim',
    'ms_ssim_fusion', 'mef_ssim', 'mef_ssim_fusion', 'compute_fusion_metrics',
    'grey_for_metric', 'CONVENTIONS', 'METRIC_NAMES', 'DEFAULT_METRICS',
    'LOWER_IS_BETTER'
]
