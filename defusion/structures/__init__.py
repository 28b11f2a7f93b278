"""defusion.structures: data elements passed between pipeline and model."""
from .fusion_data_sample import FusionDataSample

__all__ = ['FusionDataSample']
