"""defusion.models.heads."""
from .fusion_image_head import FusionImageHead
from .mfm_head import MFMHead

__all__ = ['FusionImageHead', 'MFMHead']
