"""defusion.models.necks."""
from .cud_neck import CUDNeck

__all__ = ['CUDNeck']
