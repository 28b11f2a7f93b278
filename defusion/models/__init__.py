"""defusion.models."""
from . import baselines  # noqa: F401
from .data_preprocessors import FusionDataPreprocessor  # noqa: F401
