"""defusion.models.utils: small helpers shared by models."""
from .colour import restore_colour

__all__ = ['restore_colour']
