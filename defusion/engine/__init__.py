"""defusion.engine."""
from .hooks import FusedImageWriterHook  # noqa: F401
