"""mmdet data preprocessor for images with more than 3 channels."""
from typing import Optional, Sequence

import torch
from mmdet.models.data_preprocessors import DetDataPreprocessor

from defusion.registry import MODELS


@MODELS.register_module()
class MultiChannelDetDataPreprocessor(DetDataPreprocessor):
    """``DetDataPreprocessor`` that normalises C-channel images, e.g. the
    6-channel VIS+IR images of ``LoadVisIRPair``.

    mmengine's ``ImgDataPreprocessor`` only accepts 1 or 3 mean / std
    values; this one takes one value per channel (0-255 scale) and never
    swaps channels. Normalisation happens before padding, so the padded
    border is 0 after normalisation (the mean colour), as in mmdet.

    Args:
        mean (Sequence[float], optional): Per-channel mean, e.g. ImageNet
            mean twice for VIS + IR.
        std (Sequence[float], optional): Per-channel std.
        bgr_to_rgb (bool): Must be False (a channel swap would mix the
            modalities).
        **kwargs: Other ``DetDataPreprocessor`` arguments
            (``pad_size_divisor``, ``pad_value``, ``batch_augments``, ...).
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 bgr_to_rgb: bool = False,
                 rgb_to_bgr: bool = False,
                 **kwargs):
        if bgr_to_rgb or rgb_to_bgr:
            raise ValueError('MultiChannelDetDataPreprocessor: bgr_to_rgb / '
                             'rgb_to_bgr must be False for multi-channel '
                             'images (they would swap VIS and IR channels)')
        if (mean is None) != (std is None):
            raise ValueError('MultiChannelDetDataPreprocessor: give both '
                             'mean and std, or neither')
        if mean is not None and len(mean) != len(std):
            raise ValueError('MultiChannelDetDataPreprocessor: mean and std '
                             f'have {len(mean)} and {len(std)} values')
        super().__init__(mean=None, std=None, **kwargs)
        self.num_channels = None if mean is None else len(mean)
        if mean is not None:
            self._enable_normalize = True
            self.register_buffer(
                'mean',
                torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1), False)
            self.register_buffer(
                'std',
                torch.tensor(std, dtype=torch.float32).view(-1, 1, 1), False)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Check the channel count, then normalise, pad and stack as
        ``DetDataPreprocessor``; inputs (C, H, W) each -> (N, C, H', W')."""
        if self.num_channels is not None:
            inputs = data['inputs']
            inputs = [inputs] if isinstance(inputs, torch.Tensor) and \
                inputs.dim() == 3 else inputs
            for item in inputs:
                channels = item.shape[-3] if item.dim() >= 3 else 1
                if channels != self.num_channels:
                    raise ValueError(
                        'MultiChannelDetDataPreprocessor: got an input with '
                        f'{channels} channels, mean / std have '
                        f'{self.num_channels} values (VIS+IR inputs come '
                        'from LoadVisIRPair)')
        return super().forward(data, training)
