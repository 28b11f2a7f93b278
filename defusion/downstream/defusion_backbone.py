"""DeFusion++ as a backbone for mmdet / mmseg on 6-channel VIS+IR input."""
import copy
import os.path as osp
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.runner.checkpoint import CheckpointLoader

from defusion.models.utils import tokens_to_map
from defusion.registry import MODELS
from .simple_feature_pyramid import SimpleFeaturePyramid

MODES = ('fusion', 'vis', 'ir')


def _build(cfg: dict, name: str):
    """Build a defusion module from a config dict inside any default scope
    (mmdet / mmseg configs)."""
    if not isinstance(cfg, dict) or 'type' not in cfg:
        raise TypeError(f'DeFusionBackbone: {name} must be a config dict '
                        f'with a "type", got {cfg!r}')
    cfg = copy.deepcopy(dict(cfg))
    cfg.setdefault('_scope_', 'defusion')
    return MODELS.build(cfg)


@MODELS.register_module()
class DeFusionBackbone(BaseModule):
    """Encoder + CUD + fusion of DeFusion++ with a simple feature pyramid.

    Input is one normalised 6-channel batch (N, 6, H, W): visible RGB, then
    IR replicated to 3 channels (``LoadVisIRPair``; the data preprocessor
    normalises all 6 channels with ImageNet mean / std on the 0-255 scale,
    as DeFusionPP's ``FusionDataPreprocessor`` does for each source).
    The sources go through the shared ViT encoder (``backbone``) and the
    ``CUDNeck`` (``neck``); the fused feature map ``f' + f`` (stride 16,
    as ``DeFusionPP.extract_feat``) feeds a ViTDet-style
    :class:`SimpleFeaturePyramid` (``pyramid``) with strides 4, 8, 16, 32.

    Sub-module names equal DeFusionPP's (``backbone.*``, ``neck.*``), so a
    DeFusionPP checkpoint loads with ``init_cfg=dict(type='Pretrained',
    checkpoint=...)`` and no prefix (its heads and MFM decoder are ignored);
    a detector / segmentor checkpoint that contains this backbone loads with
    ``prefix='backbone.'``. Loading checks that every encoder and CUD weight
    was found and has the right shape.

    H and W need not be multiples of 16: the input is zero-padded at the
    bottom / right (zero = the mean colour after normalisation) and every
    level is cropped to ``ceil(H / s) x ceil(W / s)``.

    Args:
        backbone (dict): Encoder config. Defaults to the paper's
            ``DeFusionViT`` tiny (width 192).
        neck (dict): ``CUDNeck`` config; width and heads default to the
            encoder arch's.
        mode (str): ``'fusion'`` (VIS and IR), or a single-modality baseline
            with the same network and weights: ``'vis'`` / ``'ir'`` feed that
            modality as both sources. Defaults to 'fusion'.
        out_indices (Sequence[int]): Pyramid levels to return (0 = stride
            4 ... 3 = stride 32). Defaults to (0, 1, 2, 3).
        frozen_encoder (bool): Freeze the ViT encoder (no grads, eval mode).
        frozen_cud (bool): Freeze the CUD + fusion module (``neck``) too.
        init_cfg (dict, optional): ``dict(type='Pretrained', checkpoint=...,
            prefix=None)``; other types go to mmengine.
    """

    def __init__(self,
                 backbone: dict = dict(
                     type='DeFusionViT',
                     arch='tiny',
                     img_size=224,
                     drop_path_rate=0.1),
                 neck: dict = dict(
                     type='CUDNeck', mlp_ratio=4., dropout=0.1),
                 mode: str = 'fusion',
                 out_indices=(0, 1, 2, 3),
                 frozen_encoder: bool = False,
                 frozen_cud: bool = False,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if mode not in MODES:
            raise ValueError(f'DeFusionBackbone: mode must be one of {MODES}, '
                             f'got {mode!r}')
        self.mode = mode
        self.backbone = _build(backbone, 'backbone')
        # Width and heads come from the encoder's arch, as in DeFusionPP.
        neck = copy.deepcopy(dict(neck))
        neck.setdefault('embed_dims', self.backbone.embed_dims)
        neck.setdefault('num_heads',
                        self.backbone.arch_settings['cud_num_heads'])
        self.neck = _build(neck, 'neck')
        width = self.backbone.embed_dims
        if getattr(self.neck, 'embed_dims', width) != width:
            raise ValueError(
                f'DeFusionBackbone: neck.embed_dims ({self.neck.embed_dims}) '
                f'must equal the encoder width ({width})')
        self.patch_size = self.backbone.patch_size
        self.pyramid = SimpleFeaturePyramid(width, out_indices)
        self.out_channels = self.pyramid.out_channels
        self.frozen_encoder = frozen_encoder
        self.frozen_cud = frozen_cud
        self._freeze()

    # ------------------------------------------------------------ freezing
    def _frozen_modules(self):
        mods = []
        if self.frozen_encoder:
            mods.append(self.backbone)
        if self.frozen_cud:
            mods.append(self.neck)
        return mods

    def _freeze(self) -> None:
        for module in self._frozen_modules():
            module.eval()
            for p in module.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True):
        super().train(mode)
        self._freeze()
        return self

    # ------------------------------------------------------------- weights
    def init_weights(self) -> None:
        """Random init of all parts, then load ``init_cfg`` if Pretrained."""
        cfg = self.init_cfg
        if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
            self.init_cfg = None
            try:
                super().init_weights()
            finally:
                self.init_cfg = cfg
            self.load_pretrained(cfg.get('checkpoint'), cfg.get('prefix'))
        else:
            super().init_weights()

    def load_pretrained(self,
                        checkpoint: str,
                        prefix: Optional[str] = None) -> list:
        """Load encoder + CUD (and pyramid, if present) weights.

        Args:
            checkpoint (str): Path of a DeFusionPP checkpoint (keys
                ``backbone.*``, ``neck.*``) or of a downstream model.
            prefix (str, optional): Key prefix to strip and select, e.g.
                ``'backbone.'`` for a detector checkpoint. None or '' means
                keys are used as they are.

        Returns:
            list[str]: The loaded keys.
        """
        if not isinstance(checkpoint, str) or not checkpoint:
            raise ValueError('DeFusionBackbone: init_cfg Pretrained needs a '
                             f'"checkpoint" path, got {checkpoint!r}')
        if '://' not in checkpoint and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'DeFusionBackbone: pretrained checkpoint not found: '
                f'{checkpoint} (set model.backbone.init_cfg.checkpoint=PATH '
                'or model.backbone.init_cfg=None for random init)')
        ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
        state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) \
            else None
        if not isinstance(state, dict):
            raise ValueError(f'DeFusionBackbone: {checkpoint} holds no state '
                             'dict')
        if prefix:
            if not prefix.endswith('.'):
                prefix += '.'
            state = {
                k[len(prefix):]: v
                for k, v in state.items() if k.startswith(prefix)
            }
            if not state:
                raise ValueError(f'DeFusionBackbone: no key of {checkpoint} '
                                 f'starts with prefix "{prefix}"')
        own = self.state_dict()
        required = [k for k in own if k.startswith(('backbone.', 'neck.'))]
        missing = [k for k in required if k not in state]
        if missing:
            raise ValueError(
                f'DeFusionBackbone: {checkpoint} (prefix {prefix!r}) lacks '
                f'{len(missing)} of {len(required)} encoder/CUD weights, '
                f'e.g. {missing[:3]}; a DeFusionPP checkpoint needs no '
                'prefix, a detector/segmentor checkpoint prefix="backbone."')
        loaded = [k for k in own if k in state]
        # DeFusionViT adopts the checkpoint's fixed position table (e.g. a
        # 6 x 6 table of a 96 px pretraining) when it loads, so its size may
        # differ.
        bad = [(k, tuple(state[k].shape), tuple(own[k].shape))
               for k in loaded if state[k].shape != own[k].shape
               and k != 'backbone.pos_embed']
        if bad:
            raise ValueError(
                f'DeFusionBackbone: shape mismatch loading {checkpoint}: '
                f'{bad[:3]} (checkpoint, model); is the arch / img_size '
                'the one used for pretraining?')
        self.load_state_dict({k: state[k] for k in loaded}, strict=False)
        return loaded

    # ------------------------------------------------------------- forward
    def split_sources(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, 6, H, W) -> the two encoder inputs (N, 3, H, W) for
        ``mode``: (vis, ir), (vis, vis) or (ir, ir)."""
        if x.dim() != 4 or x.shape[1] != 6:
            raise ValueError('DeFusionBackbone expects (N, 6, H, W) input '
                             '(visible RGB then IR as 3 channels), got '
                             f'{tuple(x.shape)}')
        vis, ir = x[:, :3], x[:, 3:]
        if self.mode == 'vis':
            return vis, vis
        if self.mode == 'ir':
            return ir, ir
        return vis, ir

    def fused_map(self, vis: torch.Tensor, ir: torch.Tensor) -> torch.Tensor:
        """Fused feature map ``f' + f`` (N, C, H / 16, W / 16) of two
        normalised sources whose size is a multiple of 16."""
        grid = self.backbone.grid_size(vis.shape[-2:])
        out = self.neck(*self.backbone.forward_pair(vis, ir), grid_size=grid)
        return tokens_to_map(out.fused_feat, grid)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, 6, H, W) -> pyramid levels, e.g. for the tiny arch
        (N, 48, H/4, W/4), (N, 96, H/8, W/8), (N, 192, H/16, W/16),
        (N, 192, H/32, W/32) (sizes rounded up)."""
        vis, ir = self.split_sources(x)
        h, w = x.shape[-2:]
        p = self.patch_size
        pad_h, pad_w = (-h) % p, (-w) % p
        if pad_h or pad_w:
            vis = F.pad(vis, (0, pad_w, 0, pad_h))
            ir = F.pad(ir, (0, pad_w, 0, pad_h))
        return self.pyramid(self.fused_map(vis, ir), (h, w))
