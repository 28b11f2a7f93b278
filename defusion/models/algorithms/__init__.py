"""defusion.models.algorithms."""
from .base_fusion_model import BaseFusionModel

__all__ = ['BaseFusionModel']
