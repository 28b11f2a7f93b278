"""DeFusion++: fusion from common/unique decomposition and masked feature
modeling (arXiv 2410.12274)."""
from typing import Dict, List, Optional, Tuple

import torch

from defusion.registry import MODELS
from defusion.structures import FusionDataSample
from .base_fusion_model import BaseFusionModel, pad_to_multiple

GT_KEYS = ('gt_fused', 'gt_common', 'gt_unique1', 'gt_unique2')



def encode_pair(backbone, neck, x1: torch.Tensor, x2: torch.Tensor) -> dict:
    """Shared encoder on both sources (one batch), then CUD + fusion.

    Used by :class:`DeFusionPP` and by the downstream ``DeFusionBackbone``.

    Args:
        backbone (DeFusionViT): the encoder.
        neck (CUDNeck): decomposition and fusion.
        x1, x2 (Tensor): normalised sources (N, 3, H, W), H and W multiples
            of the patch size.

    Returns:
        dict: the neck outputs plus ``grid_size`` (h, w).
    """
    grid = backbone.grid_size(x1.shape[-2:])
    n = x1.shape[0]
    deep, shallow = backbone(torch.cat([x1, x2]))
    out = neck(deep[:n], shallow[:n], deep[n:], shallow[n:])
    out['grid_size'] = grid
    return out

@MODELS.register_module()
class DeFusionPP(BaseFusionModel):
    """DeFusion++ algorithm (DESIGN sections 3 and 4).

    Both sources go through one encoder (``backbone``); ``neck`` splits the
    pair into common / unique parts and fuses them; image heads decode the
    common image, the unique images (one shared head) and the fused image;
    in training ``mfm_head`` masks the decomposed tokens and rebuilds the
    clean image from the fused kept tokens.

    Losses (each a key of :meth:`loss`, batch-averaged): ``loss_common``,
    ``loss_unique1``, ``loss_unique2`` (L1 to the targets), ``loss_mfm``
    (L1 of the MFM reconstruction to the clean image), ``loss_fused_l1`` and
    ``loss_fused_ssim`` (fused image vs the clean image). Default weights:
    20, 10, 10, 2, 100, 50.

    Args:
        backbone (dict): Encoder config, e.g. ``DeFusionViT``.
        neck (dict): ``CUDNeck`` config.
        common_head (dict): Head of the common image.
        unique_head (dict): Head shared by both unique images.
        fused_head (dict): Head of the fused image.
        mfm_head (dict, optional): ``MFMHead`` config; None disables MFM.
        loss_common, loss_unique, loss_mfm, loss_fused_l1, loss_fused_ssim
            (dict): Loss configs.
        data_preprocessor (dict, optional): e.g. ``FusionDataPreprocessor``
            with ImageNet mean/std.
        size_divisor (int): :meth:`predict` pads to a multiple of this.
            Defaults to 16 (the patch size).
        init_cfg (dict, optional): Initialisation config.
    """

    inference_optional_keys = ('mfm_head.', )

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 common_head: dict,
                 unique_head: dict,
                 fused_head: dict,
                 mfm_head: Optional[dict] = None,
                 loss_common: dict = dict(type='L1Loss', loss_weight=20.),
                 loss_unique: dict = dict(type='L1Loss', loss_weight=10.),
                 loss_mfm: dict = dict(type='L1Loss', loss_weight=2.),
                 loss_fused_l1: dict = dict(type='L1Loss', loss_weight=100.),
                 loss_fused_ssim: dict = dict(
                     type='SSIMLoss', loss_weight=50.),
                 data_preprocessor: Optional[dict] = None,
                 size_divisor: int = 16,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            size_divisor=size_divisor,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        self.common_head = MODELS.build(common_head)
        self.unique_head = MODELS.build(unique_head)
        self.fused_head = MODELS.build(fused_head)
        self.mfm_head = MODELS.build(mfm_head) if mfm_head else None
        self.loss_common = MODELS.build(loss_common)
        self.loss_unique = MODELS.build(loss_unique)
        self.loss_mfm = MODELS.build(loss_mfm)
        self.loss_fused_l1 = MODELS.build(loss_fused_l1)
        self.loss_fused_ssim = MODELS.build(loss_fused_ssim)
        patch = getattr(self.backbone, 'patch_size', size_divisor)
        if size_divisor % patch != 0:
            raise ValueError(f'size_divisor ({size_divisor}) must be a '
                             f'multiple of the patch size ({patch})')

    # ------------------------------------------------------------ features
    def encode_pair(self, x1: torch.Tensor, x2: torch.Tensor) -> dict:
        """Encoder + CUD + fusion of two normalised sources.

        Args:
            x1, x2 (Tensor): (N, 3, H, W) each, H and W multiples of the
                patch size.

        Returns:
            dict: the neck outputs (tokens (N, 1 + L, C): ``common``,
            ``unique1``, ``unique2``, ``fused``, ``fused_feat``, ``parts``)
            plus ``grid_size`` (h, w).
        """
        if x1.shape != x2.shape:
            raise ValueError('the two sources must have one shape, got '
                             f'{tuple(x1.shape)} and {tuple(x2.shape)}')
        return encode_pair(self.backbone, self.neck, x1, x2)

    def extract_feat(self, x1: torch.Tensor,
                     x2: torch.Tensor) -> torch.Tensor:
        """Fused feature map ``f' + f`` of a pair (the fused head's input).

        Args:
            x1, x2 (Tensor): normalised sources (N, 3, H, W), H and W
                multiples of the patch size.

        Returns:
            Tensor: (N, C, H / p, W / p).
        """
        out = self.encode_pair(x1, x2)
        return self.tokens_to_map(out['fused_feat'], out['grid_size'])

    @staticmethod
    def tokens_to_map(tokens: torch.Tensor,
                      grid_size: Tuple[int, int]) -> torch.Tensor:
        """(N, 1 + h * w, C) -> (N, C, h, w), the cls token dropped."""
        n, _, c = tokens.shape
        return tokens[:, 1:].transpose(1, 2).reshape(n, c, *grid_size)

    def _decode_images(self, out: dict) -> Dict[str, torch.Tensor]:
        grid = out['grid_size']
        n = out['common'].shape[0]
        uniques = self.unique_head(
            torch.cat([out['unique1'], out['unique2']]), grid)
        return dict(
            fused=self.fused_head(out['fused_feat'], grid),
            common=self.common_head(out['common'], grid),
            unique1=uniques[:n],
            unique2=uniques[n:])

    # -------------------------------------------------------------- modes
    def fuse_images(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Fused, common and unique images (N, 3, H, W), unclamped (the
        base class clamps to [0, 1])."""
        out = self.encode_pair(inputs[:, 0], inputs[:, 1])
        return self._decode_images(out)

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[List[FusionDataSample]] = None):
        """'tensor' mode: fused feature map (N, C, ceil(H/16), ceil(W/16));
        inputs are reflect-padded to a multiple of ``size_divisor``."""
        inputs = pad_to_multiple(inputs, self.size_divisor)
        return self.extract_feat(inputs[:, 0], inputs[:, 1])

    def _stack_targets(self, data_samples, shape) -> Dict[str, torch.Tensor]:
        if data_samples is None or len(data_samples) != shape[0]:
            raise ValueError('DeFusionPP.loss needs one data sample per '
                             'input with gt_fused, gt_common, gt_unique1 '
                             'and gt_unique2')
        targets = {}
        for key in GT_KEYS:
            values = [s.get(key) for s in data_samples]
            if any(v is None for v in values):
                raise ValueError(f'DeFusionPP.loss: a data sample lacks '
                                 f'"{key}"; use a pretext pipeline '
                                 '(SynthesizePretextPair + '
                                 'PackPretextInputs)')
            target = torch.stack(values)
            if target.shape[-2:] != shape[-2:]:
                raise ValueError(f'DeFusionPP.loss: {key} has size '
                                 f'{tuple(target.shape[-2:])}, inputs '
                                 f'{tuple(shape[-2:])}')
            targets[key[3:]] = target
        return targets

    def loss(self, inputs: torch.Tensor,
             data_samples: List[FusionDataSample]) -> Dict[str, torch.Tensor]:
        """Pretext losses of a batch.

        Args:
            inputs (Tensor): normalised sources (N, 2, 3, H, W), H and W
                multiples of the patch size.
            data_samples (list[FusionDataSample]): with ``gt_fused``,
                ``gt_common``, ``gt_unique1``, ``gt_unique2`` (3, H, W).

        Returns:
            dict[str, Tensor]: ``loss_common``, ``loss_unique1``,
            ``loss_unique2``, ``loss_mfm`` (if MFM is on), ``loss_fused_l1``,
            ``loss_fused_ssim``.
        """
        self.check_inputs(inputs)
        targets = self._stack_targets(data_samples, inputs.shape)
        targets = {k: v.to(inputs.device) for k, v in targets.items()}
        out = self.encode_pair(inputs[:, 0], inputs[:, 1])
        images = self._decode_images(out)
        losses = dict(
            loss_common=self.loss_common(images['common'],
                                         targets['common']),
            loss_unique1=self.loss_unique(images['unique1'],
                                          targets['unique1']),
            loss_unique2=self.loss_unique(images['unique2'],
                                          targets['unique2']))
        if self.mfm_head is not None:
            losses['loss_mfm'] = self.loss_mfm(
                self.masked_reconstruction(out), targets['fused'])
        losses['loss_fused_l1'] = self.loss_fused_l1(images['fused'],
                                                     targets['fused'])
        losses['loss_fused_ssim'] = self.loss_fused_ssim(
            images['fused'], targets['fused'])
        return losses

    def masked_reconstruction(self, out: dict) -> torch.Tensor:
        """MFM: keep a random subset of the decomposed tokens (same indices
        for every part of a sample), fuse and refine them, and rebuild the
        clean image (N, 3, H, W) with the MFM decoder."""
        parts = out['parts']
        n, length = parts['common'].shape[:2]
        ids_keep, ids_restore = self.mfm_head.random_masking(
            n, length - 1, device=parts['common'].device)
        masked = {
            k: self.mfm_head.gather(v, ids_keep)
            for k, v in parts.items()
        }
        tokens = self.neck.refine(self.neck.fuse(masked))
        return self.mfm_head(tokens, ids_restore, out['grid_size'])
