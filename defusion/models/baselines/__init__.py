"""defusion.models.baselines: classical, training-free fusion rules."""
from .average_fusion import AverageFusion
from .base_classical_fusion import BaseClassicalFusion
from .guided_filter_fusion import GuidedFilterFusion
from .laplacian_pyramid_fusion import LaplacianPyramidFusion
from .max_abs_fusion import MaxAbsFusion
from .wavelet_fusion import WaveletFusion

__all__ = [
    'BaseClassicalFusion', 'AverageFusion', 'MaxAbsFusion',
    'LaplacianPyramidFusion', 'GuidedFilterFusion', 'WaveletFusion'
]
