"""defusion.models.algorithms."""
from .base_fusion_model import BaseFusionModel
from .defusionpp import DeFusionPP

__all__ = ['BaseFusionModel', 'DeFusionPP']
