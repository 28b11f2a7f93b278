"""defusion.models.backbones."""
from .defusion_vit import DeFusionViT

__all__ = ['DeFusionViT']
