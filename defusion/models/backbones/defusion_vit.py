"""ViT encoder of DeFusion++."""
import copy
from typing import Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from defusion.registry import MODELS
from ..utils import (Block, adopt_pos_embed, init_linear_and_norm,
                     resize_pos_embed, sincos_pos_embed_2d)


@MODELS.register_module()
class DeFusionViT(BaseModule):
    """ViT encoder shared by both sources.

    Patch embedding, a fixed 2-D sin-cos position table plus a learned cls
    token, then ``num_layers`` pre-norm blocks without a final norm. The
    position table is made for ``img_size`` and interpolated (bicubic) to the
    (H / p, W / p) grid of each input, so any H, W that are multiples of the
    patch size work.

    Outputs (both (N, 1 + H/p * W/p, C), cls token first):

    - deep tokens ``e``: output of the last block;
    - shallow tokens ``r = LN_a(t0) + LN_b(t1)`` with ``t0`` the tokens
      before the first block and ``t1`` the output of the first block.

    Architectures (``arch``): ``'tiny'`` (the paper's ViT-Tiny: width 192,
    12 layers, 6 heads, 12 heads in the last block as in the reference
    TinyMIM encoder, MLP ratio 4, patch 16; 16 heads in the CUD, fusion and
    decoder blocks), ``'small-test'`` (width 32, 2 layers, 2 heads; for
    tests and smoke runs) or a dict with keys ``embed_dims``,
    ``num_layers``, ``num_heads`` and optionally ``last_num_heads``,
    ``mlp_ratio``, ``patch_size``, ``cud_num_heads``. This is the one
    place the width, patch size and head counts of a DeFusion++ model are
    written: :class:`DeFusionPP` fills them into its neck and heads.

    Stochastic depth follows the reference: every block but the last uses
    ``drop_path_rate``; the last block uses none.

    Args:
        arch (str | dict): Architecture. Defaults to 'tiny'.
        img_size (int | tuple): Size the position table is made for.
            Defaults to 224.
        in_channels (int): Input channels. Defaults to 3.
        drop_path_rate (float): Defaults to 0.1.
        qkv_bias (bool): Defaults to True.
        norm_eps (float): LayerNorm epsilon of the blocks. Defaults to 1e-6.
        init_cfg (dict, optional): e.g. ``dict(type='Pretrained',
            checkpoint=..., prefix='backbone.')``.
    """

    arch_zoo = {
        'tiny':
        dict(
            embed_dims=192,
            num_layers=12,
            num_heads=6,
            last_num_heads=12,
            mlp_ratio=4.,
            patch_size=16,
            cud_num_heads=16),
        'small-test':
        dict(
            embed_dims=32,
            num_layers=2,
            num_heads=2,
            last_num_heads=2,
            mlp_ratio=4.,
            patch_size=16,
            cud_num_heads=2),
    }
    num_extra_tokens = 1

    def __init__(self,
                 arch: Union[str, dict] = 'tiny',
                 img_size: Union[int, Sequence[int]] = 224,
                 in_channels: int = 3,
                 drop_path_rate: float = 0.1,
                 qkv_bias: bool = True,
                 norm_eps: float = 1e-6,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.arch_settings = self._parse_arch(arch)
        s = self.arch_settings
        self.embed_dims = s['embed_dims']
        self.num_layers = s['num_layers']
        self.patch_size = s['patch_size']
        if isinstance(img_size, int):
            img_size = (img_size, img_size)
        if len(img_size) != 2 or any(v % self.patch_size for v in img_size):
            raise ValueError(f'img_size {img_size} must be two multiples of '
                             f'the patch size {self.patch_size}')
        self.img_size = tuple(img_size)
        self.base_grid = (img_size[0] // self.patch_size,
                          img_size[1] // self.patch_size)

        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(
            in_channels,
            self.embed_dims,
            kernel_size=self.patch_size,
            stride=self.patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, self.embed_dims))
        self.register_buffer(
            'pos_embed',
            sincos_pos_embed_2d(self.embed_dims, self.base_grid),
            persistent=True)
        self.blocks = nn.ModuleList()
        for i in range(self.num_layers):
            last = i == self.num_layers - 1
            self.blocks.append(
                Block(
                    self.embed_dims,
                    s['last_num_heads'] if last else s['num_heads'],
                    s['mlp_ratio'],
                    qkv_bias=qkv_bias,
                    drop_path_rate=0. if last else drop_path_rate,
                    norm_eps=norm_eps))
        self.shallow_norm_pre = nn.LayerNorm(self.embed_dims)
        self.shallow_norm_post = nn.LayerNorm(self.embed_dims)
        self._reset_parameters()

    def _parse_arch(self, arch) -> dict:
        if isinstance(arch, str):
            if arch not in self.arch_zoo:
                raise ValueError(f'unknown DeFusionViT arch "{arch}"; choose '
                                 f'from {sorted(self.arch_zoo)} or give a '
                                 'dict')
            return copy.deepcopy(self.arch_zoo[arch])
        if not isinstance(arch, dict):
            raise TypeError('DeFusionViT arch must be a str or a dict, got '
                            f'{type(arch).__name__}')
        missing = {'embed_dims', 'num_layers', 'num_heads'} - set(arch)
        if missing:
            raise ValueError(f'DeFusionViT arch dict lacks {sorted(missing)}')
        unknown = set(arch) - {
            'embed_dims', 'num_layers', 'num_heads', 'last_num_heads',
            'mlp_ratio', 'patch_size', 'cud_num_heads'
        }
        if unknown:
            raise ValueError(f'DeFusionViT arch dict has unknown keys '
                             f'{sorted(unknown)}')
        settings = dict(mlp_ratio=4., patch_size=16)
        settings.update(arch)
        settings.setdefault('last_num_heads', settings['num_heads'])
        settings.setdefault('cud_num_heads', settings['num_heads'])
        return settings

    def _reset_parameters(self) -> None:
        """MAE-style random init (patch embed like a Linear)."""
        init_linear_and_norm(self)
        w = self.patch_embed.proj.weight.data
        nn.init.xavier_uniform_(w.view(w.shape[0], -1))
        nn.init.zeros_(self.patch_embed.proj.bias)
        nn.init.normal_(self.cls_token, std=.02)

    def init_weights(self) -> None:
        """Random init, or load ``init_cfg`` (e.g. Pretrained)."""
        if self.init_cfg is None:
            self._reset_parameters()
        else:
            super().init_weights()

    def grid_size(self, img_shape: Tuple[int, int]) -> Tuple[int, int]:
        """(H, W) -> patch grid (H / p, W / p); raises if not divisible."""
        h, w = img_shape
        if h % self.patch_size or w % self.patch_size:
            raise ValueError(f'input size {(h, w)} must be a multiple of the '
                             f'patch size {self.patch_size}; pad it first')
        return h // self.patch_size, w // self.patch_size

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # Keep the position table the checkpoint was trained with.
        adopt_pos_embed(self, state_dict, prefix + 'pos_embed',
                        self.num_extra_tokens)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Images (N, C_in, H, W) -> tokens (N, 1 + L, C) with positions."""
        if x.dim() != 4:
            raise ValueError('DeFusionViT expects images (N, C, H, W), got '
                             f'{tuple(x.shape)}')
        grid = self.grid_size(x.shape[-2:])
        pos = resize_pos_embed(self.pos_embed, self.base_grid, grid,
                               self.num_extra_tokens)
        tokens = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        tokens = tokens + pos[:, 1:]
        cls = (self.cls_token + pos[:, :1]).expand(x.shape[0], -1, -1)
        return torch.cat([cls, tokens], dim=1)

    def forward_pair(self, img_a: torch.Tensor, img_b: torch.Tensor
                     ) -> Tuple[torch.Tensor, ...]:
        """Encode both sources of a pair in one batch.

        Args:
            img_a, img_b (Tensor): normalised sources (N, C_in, H, W) of one
                shape, H and W multiples of the patch size.

        Returns:
            tuple[Tensor]: ``deep_a, shallow_a, deep_b, shallow_b``, each
            (N, 1 + L, C), the inputs of the CUD neck.
        """
        if img_a.shape != img_b.shape:
            raise ValueError('the two sources must have one shape, got '
                             f'{tuple(img_a.shape)} and {tuple(img_b.shape)}')
        n = img_a.shape[0]
        deep, shallow = self(torch.cat([img_a, img_b]))
        return deep[:n], shallow[:n], deep[n:], shallow[n:]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Encode a normalised image batch.

        Args:
            x (Tensor): (N, C_in, H, W), H and W multiples of the patch.

        Returns:
            tuple[Tensor]: deep tokens ``e`` and shallow tokens ``r``, each
            (N, 1 + H/p * W/p, C).
        """
        tokens = self.embed(x)
        first = self.blocks[0](tokens)
        shallow = self.shallow_norm_pre(tokens) + self.shallow_norm_post(first)
        deep = first
        for block in self.blocks[1:]:
            deep = block(deep)
        return deep, shallow
