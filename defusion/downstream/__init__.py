"""defusion.downstream: DeFusion++ as a backbone for detection (mmdet) and
segmentation (mmseg) on paired visible + infrared images.

Needs mmcv, mmdet and mmsegmentation. Configs import it with
``custom_imports=dict(imports=['defusion.downstream'],
allow_failed_imports=False)`` and refer to its modules with the
``defusion.`` scope prefix, e.g. ``type='defusion.DeFusionBackbone'``.
"""
import defusion.models  # noqa: F401  (DeFusionViT, CUDNeck)
from .datasets import (FMBSegDataset, MSRSDetDataset, MSRSSegDataset,
                       VisIRSegDataset)
from .defusion_backbone import DeFusionBackbone
from .multi_channel_det_data_preprocessor import \
    MultiChannelDetDataPreprocessor
from .simple_feature_pyramid import SimpleFeaturePyramid
from .transforms import LoadVisIRPair, VisibleOnly

__all__ = [
    'DeFusionBackbone', 'SimpleFeaturePyramid',
    'MultiChannelDetDataPreprocessor', 'LoadVisIRPair',
    'VisibleOnly', 'MSRSDetDataset', 'VisIRSegDataset', 'MSRSSegDataset',
    'FMBSegDataset'
]
