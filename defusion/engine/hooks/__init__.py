"""defusion.engine.hooks."""
from .fused_image_writer_hook import FusedImageWriterHook

__all__ = ['FusedImageWriterHook']
