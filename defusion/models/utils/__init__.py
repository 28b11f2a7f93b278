"""defusion.models.utils: small helpers shared by models."""
from defusion.utils.colour import restore_colour
from .patch_ops import patchify, unpatchify
from .pos_embed import (adopt_pos_embed, resize_pos_embed,
                        sincos_pos_embed_1d, sincos_pos_embed_2d)
from .transformer_blocks import AttnBlock, Block, DropPath, drop_path
from .weight_init import init_linear_and_norm

__all__ = [
    'restore_colour', 'patchify', 'unpatchify', 'adopt_pos_embed',
    'resize_pos_embed',
    'sincos_pos_embed_1d', 'sincos_pos_embed_2d', 'AttnBlock', 'Block',
    'DropPath', 'drop_path', 'init_linear_and_norm'
]
