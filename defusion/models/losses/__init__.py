"""defusion.models.losses."""
from .l1_loss import L1Loss
from .ssim_loss import SSIMLoss

__all__ = ['L1Loss', 'SSIMLoss']
