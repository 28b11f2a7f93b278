"""Batching and normalisation of fusion sources."""
from typing import Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from defusion.registry import MODELS


@MODELS.register_module()
class FusionDataPreprocessor(BaseDataPreprocessor):
    """Stack the sources of a batch, move them and the data samples to the
    device and normalise the sources.

    Input ``data``: ``dict(inputs=..., data_samples=...)`` where ``inputs``
    is a list of N tensors (S, C, H, W) (S = 2 sources) float in [0, 1] or
    one tensor (N, S, C, H, W). Output: the same dict with ``inputs`` a
    float32 tensor (N, S, C, H, W), normalised as
    ``(x * 255 - mean) / std`` when ``mean`` is given. Ground truth in the
    data samples stays in [0, 1].

    Args:
        mean (Sequence[float], optional): Per-channel mean on the 0-255
            scale, e.g. ImageNet (123.675, 116.28, 103.53). None (default)
            leaves the inputs in [0, 1].
        std (Sequence[float], optional): Per-channel std on the 0-255
            scale, e.g. (58.395, 57.12, 57.375). Required with ``mean``.
        non_blocking (bool): Non-blocking copies to the device.
            Defaults to False.
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 non_blocking: bool = False) -> None:
        super().__init__(non_blocking=non_blocking)
        if (mean is None) != (std is None):
            raise ValueError('FusionDataPreprocessor: give both mean and std '
                             f'or neither, got mean={mean}, std={std}')
        self._enable_normalize = mean is not None
        if self._enable_normalize:
            mean = torch.as_tensor(mean, dtype=torch.float32).flatten()
            std = torch.as_tensor(std, dtype=torch.float32).flatten()
            if mean.numel() != std.numel() or mean.numel() == 0:
                raise ValueError('FusionDataPreprocessor: mean and std need '
                                 'the same (non-zero) number of channels, got'
                                 f' {mean.numel()} and {std.numel()}')
            if (std <= 0).any():
                raise ValueError('FusionDataPreprocessor: std must be '
                                 f'positive, got {std.tolist()}')
            # (C, 1, 1) on the 0-255 scale, like mmpretrain.
            self.register_buffer('mean', mean.view(-1, 1, 1), False)
            self.register_buffer('std', std.view(-1, 1, 1), False)

    @staticmethod
    def stack_inputs(inputs) -> torch.Tensor:
        """List of (S, C, H, W) or one (N, S, C, H, W) -> (N, S, C, H, W)."""
        if isinstance(inputs, torch.Tensor):
            if inputs.dim() != 5:
                raise ValueError('FusionDataPreprocessor: batched inputs must'
                                 ' have shape (N, S, C, H, W), got '
                                 f'{tuple(inputs.shape)}')
            return inputs
        if not isinstance(inputs, (list, tuple)) or not inputs:
            raise TypeError('FusionDataPreprocessor: inputs must be a '
                            'non-empty list of (S, C, H, W) tensors or an '
                            f'(N, S, C, H, W) tensor, got {type(inputs)}')
        shapes = []
        for item in inputs:
            if not isinstance(item, torch.Tensor) or item.dim() != 4:
                raise TypeError('FusionDataPreprocessor: every sample of '
                                'inputs must be an (S, C, H, W) tensor, got '
                                f'{getattr(item, "shape", type(item))}')
            shapes.append(tuple(item.shape))
        if len(set(shapes)) > 1:
            sizes = sorted(set(shapes))
            raise ValueError('FusionDataPreprocessor: all samples of a batch '
                             'must share one (S, C, H, W) size to be stacked,'
                             f' got {sizes}; resize or crop the sources, or '
                             'use batch_size=1')
        return torch.stack(list(inputs))

    def normalize(self, inputs: torch.Tensor) -> torch.Tensor:
        """(..., C, H, W) in [0, 1] -> ``(x * 255 - mean) / std``."""
        if not self._enable_normalize:
            return inputs
        if inputs.shape[-3] != self.mean.shape[0]:
            raise ValueError('FusionDataPreprocessor: inputs have '
                             f'{inputs.shape[-3]} channels but mean/std have '
                             f'{self.mean.shape[0]}')
        return (inputs * 255.0 - self.mean) / self.std

    def denormalize(self, inputs: torch.Tensor) -> torch.Tensor:
        """Inverse of :meth:`normalize`: back to [0, 1] (not clamped)."""
        if not self._enable_normalize:
            return inputs
        return (inputs * self.std + self.mean) / 255.0

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, cast to the device and normalise.

        Returns:
            dict: ``inputs`` (N, S, C, H, W) float32 and ``data_samples``
            (on the device, unchanged otherwise).
        """
        data = self.cast_data(data)
        inputs = self.stack_inputs(data['inputs'])
        if not inputs.is_floating_point():
            raise TypeError('FusionDataPreprocessor: inputs must be float '
                            f'in [0, 1], got dtype {inputs.dtype}')
        inputs = self.normalize(inputs.float())
        return dict(inputs=inputs, data_samples=data.get('data_samples'))
