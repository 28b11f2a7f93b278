"""defusion.apis: high-level inference."""
from .inference import (TASK_COLOUR_MODES, fuse, fuse_pair, init_fuser,
                        load_source, resolve_colour_mode)
from .tiling import fuse_tiled

__all__ = [
    'init_fuser', 'fuse', 'fuse_pair', 'load_source', 'resolve_colour_mode',
    'fuse_tiled', 'TASK_COLOUR_MODES'
]
