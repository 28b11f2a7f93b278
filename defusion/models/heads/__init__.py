"""defusion.models.heads."""
from .decomposition_head import DecompositionHead
from .mfm_head import MFMHead
from .patch_image_decoder import PatchImageDecoder

__all__ = ['DecompositionHead', 'MFMHead', 'PatchImageDecoder']
