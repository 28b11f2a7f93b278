"""defusion.engine.hooks."""
from .fused_image_writer_hook import FusedImageWriterHook
from .identity_init_hook import IdentityInitHook
from .time_budget_hook import TimeBudgetHook

__all__ = ['FusedImageWriterHook', 'IdentityInitHook', 'TimeBudgetHook']
