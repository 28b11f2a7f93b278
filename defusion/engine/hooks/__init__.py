"""defusion.engine.hooks."""
from .ema_hook import EMAHook
from .fused_image_writer_hook import FusedImageWriterHook
from .identity_init_hook import IdentityInitHook
from .time_budget_hook import TimeBudgetHook

__all__ = ['EMAHook', 'FusedImageWriterHook', 'IdentityInitHook', 'TimeBudgetHook']
