"""defusion.structures: data passed between pipeline, model parts and
heads."""
from .cud_output import CUDOutput
from .fusion_data_sample import FusionDataSample

__all__ = ['CUDOutput', 'FusionDataSample']
