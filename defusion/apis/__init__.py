"""defusion.apis: high-level inference."""
from defusion.models.utils.tiling import fuse_tiled
from .fusion_inferencer import (COLOUR_MODES, TASK_COLOUR_MODES,
                                FusionInferencer, fuse, resolve_colour_mode)
from .inference import init_fuser
from .model_hub import RECOMMENDED_MODEL, get_model, list_models

__all__ = [
    'init_fuser', 'fuse', 'FusionInferencer', 'resolve_colour_mode',
    'fuse_tiled', 'TASK_COLOUR_MODES', 'COLOUR_MODES', 'RECOMMENDED_MODEL',
    'get_model', 'list_models'
]
