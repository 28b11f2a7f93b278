"""DeFusion++: fusion from common/unique decomposition and masked feature
modeling (arXiv 2410.12274)."""
import copy
from typing import Dict, List, Optional

import torch

from defusion.registry import MODELS
from defusion.structures import CUDOutput, FusionDataSample
from ..utils import tokens_to_map
from .base_fusion_model import BaseFusionModel, pad_to_multiple

# Checkpoints written before the heads owned their decoders.
_OLD_PREFIXES = {
    'common_head.': 'head.common_decoder.',
    'unique_head.': 'head.unique_decoder.',
    'fused_head.': 'head.fused_decoder.',
}


def upgrade_state_dict(state_dict: dict) -> dict:
    """Rename the keys of an older DeFusion++ checkpoint (top-level
    ``common_head`` / ``unique_head`` / ``fused_head``) to the current
    layout; other keys are kept."""
    out = type(state_dict)()
    for key, value in state_dict.items():
        for old, new in _OLD_PREFIXES.items():
            if key.startswith(old):
                key = new + key[len(old):]
                break
        out[key] = value
    if hasattr(state_dict, '_metadata'):
        out._metadata = state_dict._metadata
    return out


@MODELS.register_module()
class DeFusionPP(BaseFusionModel):
    """DeFusion++: one encoder for both sources, a CUD neck, an image head
    and a masked-feature-modeling head.

    - ``backbone`` (e.g. :class:`DeFusionViT`) encodes both sources;
    - ``neck`` (:class:`CUDNeck`) splits the pair into common and unique
      parts, fuses them and, in training, masks the tokens for MFM;
    - ``head`` (:class:`DecompositionHead`) decodes the common, unique and
      fused images and owns their losses;
    - ``mfm_head`` (:class:`MFMHead`, optional) rebuilds the clean image
      from the masked fused tokens and owns its loss.

    The backbone's architecture is the one source of the token width, patch
    size and head count: they are filled into the neck and heads unless a
    config sets them. Loss keys: ``loss_common``, ``loss_unique_a``,
    ``loss_unique_b``, ``loss_fused_l1``, ``loss_fused_ssim``, ``loss_mfm``.

    Args:
        backbone (dict): Encoder config.
        neck (dict): ``CUDNeck`` config.
        head (dict): ``DecompositionHead`` config.
        mfm_head (dict, optional): ``MFMHead`` config; None disables MFM.
        data_preprocessor (dict, optional): e.g. ``FusionDataPreprocessor``
            with ImageNet mean/std.
        size_divisor (int, optional): :meth:`predict` pads to a multiple of
            this. Defaults to the patch size.
        test_cfg (dict, optional): Tiling of large inputs, see
            :class:`BaseFusionModel`.
        init_cfg (dict, optional): Initialisation config.
    """

    inference_optional_keys = ('mfm_head.', )
    component_keys = ('common', 'unique_a', 'unique_b')

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 mfm_head: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 size_divisor: Optional[int] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        backbone = MODELS.build(backbone)
        patch = backbone.patch_size
        size_divisor = size_divisor or patch
        if size_divisor % patch != 0:
            raise ValueError(f'size_divisor ({size_divisor}) must be a '
                             f'multiple of the patch size ({patch})')
        super().__init__(
            size_divisor=size_divisor,
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = backbone
        arch = dict(embed_dims=backbone.embed_dims,
                    num_heads=backbone.arch_settings['cud_num_heads'])
        self.neck = MODELS.build(self._filled(neck, arch))
        arch['patch_size'] = patch
        self.head = MODELS.build(self._filled(head, arch))
        self.mfm_head = MODELS.build(self._filled(
            mfm_head, dict(arch, img_size=backbone.img_size))) \
            if mfm_head else None
        self._register_load_state_dict_pre_hook(self._upgrade_hook)

    @staticmethod
    def _filled(cfg: dict, defaults: dict) -> dict:
        cfg = copy.deepcopy(cfg)
        for key, value in defaults.items():
            cfg.setdefault(key, value)
        return cfg

    @staticmethod
    def upgrade_state_dict(state_dict: dict) -> dict:
        """See :func:`upgrade_state_dict` (used by checkpoint checks)."""
        return upgrade_state_dict(state_dict)

    @staticmethod
    def _upgrade_hook(state_dict, prefix, *args):
        upgraded = upgrade_state_dict(
            {k[len(prefix):]: v for k, v in state_dict.items()
             if k.startswith(prefix)})
        for key in [k for k in state_dict if k.startswith(prefix)]:
            del state_dict[key]
        state_dict.update({prefix + k: v for k, v in upgraded.items()})

    # ------------------------------------------------------------ features
    def extract_feat(self, inputs: torch.Tensor,
                     mask: bool = False) -> CUDOutput:
        """Encoder + CUD + fusion of a batch of pairs.

        Args:
            inputs (Tensor): normalised sources (N, 2, 3, H, W), H and W
                multiples of the patch size.
            mask (bool): Also make the masked tokens of MFM.

        Returns:
            CUDOutput: the neck's tokens and the patch grid.
        """
        grid = self.backbone.grid_size(inputs.shape[-2:])
        feats = self.backbone.forward_pair(inputs[:, 0], inputs[:, 1])
        return self.neck(*feats, grid_size=grid, mask=mask)

    # -------------------------------------------------------------- modes
    def fuse_images(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Fused, common and unique images (N, 3, H, W), unclamped (the
        base class crops and clamps to [0, 1])."""
        return self.head.predict(self.extract_feat(inputs))

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[List[FusionDataSample]] = None):
        """'tensor' mode: fused feature map (N, C, ceil(H/16), ceil(W/16));
        inputs are reflect-padded to a multiple of ``size_divisor``."""
        inputs = pad_to_multiple(inputs, self.size_divisor)
        out = self.extract_feat(inputs)
        return tokens_to_map(out.fused_feat, out.grid_size)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[FusionDataSample]) -> Dict[str, torch.Tensor]:
        """Pretext losses of a batch of (N, 2, 3, H, W) normalised sources
        whose data samples carry the targets (``gt_clean``, ``gt_common``,
        ``gt_unique_a``, ``gt_unique_b``)."""
        out = self.extract_feat(inputs, mask=self.mfm_head is not None)
        losses = self.head.loss(out, data_samples)
        if self.mfm_head is not None:
            losses.update(self.mfm_head.loss(out, data_samples))
        return losses
