"""Base class of the classical (training-free) fusion baselines."""
from typing import Dict, Optional

import torch

from defusion.models.algorithms import BaseFusionModel


class BaseClassicalFusion(BaseFusionModel):
    """A fusion rule without learned parameters.

    Works on sources in [0, 1] (the data preprocessor does not normalise)
    and pads nothing (``size_divisor=1``). Subclasses implement
    :meth:`fuse_sources`.

    Args:
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='FusionDataPreprocessor', mean=None, std=None)``.
        init_cfg (dict, optional): Unused (no weights).
    """

    def __init__(self,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='FusionDataPreprocessor', mean=None, std=None)
        super().__init__(
            size_divisor=1,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)

    def fuse_sources(self, img_a: torch.Tensor,
                     img_b: torch.Tensor) -> torch.Tensor:
        """Fuse two (N, C, H, W) sources in [0, 1] into (N, C, H, W)."""
        raise NotImplementedError

    def fuse_images(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Args: inputs (N, 2, C, H, W) in [0, 1]. Returns dict(fused)."""
        img_a, img_b = inputs[:, 0].float(), inputs[:, 1].float()
        return dict(fused=self.fuse_sources(img_a, img_b).clamp(0, 1))

    def loss(self, inputs, data_samples):
        raise RuntimeError(
            f'{type(self).__name__} is a classical fusion rule and has no '
            'trainable parameters; use tools/test.py or tools/fuse.py '
            '(checkpoint "none") instead of tools/train.py.')
