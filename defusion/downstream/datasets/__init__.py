"""Datasets of paired VIS+IR detection (mmdet) and segmentation (mmseg)."""
from .msrs_det_dataset import MSRSDetDataset
from .vis_ir_seg_dataset import FMBSegDataset, MSRSSegDataset, VisIRSegDataset

__all__ = [
    'MSRSDetDataset', 'VisIRSegDataset', 'MSRSSegDataset', 'FMBSegDataset'
]
