"""defusion.models.utils: small helpers shared by models."""
from defusion.utils.colour import restore_colour
from .patch_ops import patchify, tokens_to_map, unpatchify
from .pos_embed import (adopt_pos_embed, resize_pos_embed,
                        sincos_pos_embed_1d, sincos_pos_embed_2d)
from .transformer_blocks import AttnBlock, Block, DropPath, drop_path
from .weight_init import MAE_INIT_CFG, init_linear_and_norm

__all__ = [
    'restore_colour', 'patchify', 'tokens_to_map', 'unpatchify', 'adopt_pos_embed',
    'resize_pos_embed',
    'sincos_pos_embed_1d', 'sincos_pos_embed_2d', 'AttnBlock', 'Block',
    'DropPath', 'drop_path', 'init_linear_and_norm', 'MAE_INIT_CFG'
]
