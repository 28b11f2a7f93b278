"""Data sample that carries one fusion pair through the pipeline and model."""
from typing import Optional

import torch
from mmengine.structures import BaseDataElement

_IMAGE_FIELDS = ('gt_clean', 'gt_common', 'gt_unique_a', 'gt_unique_b',
                 'pred_fused', 'pred_common', 'pred_unique_a', 'pred_unique_b',
                 'cbcr')


def _check_image(name: str, value) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f'FusionDataSample.{name} must be a torch.Tensor of '
                        f'shape (C, H, W), got {type(value).__name__}')
    if value.dim() != 3:
        raise ValueError(f'FusionDataSample.{name} must have shape (C, H, W), '
                         f'got shape {tuple(value.shape)}')
    return value


class FusionDataSample(BaseDataElement):
    """One sample of a fusion task.

    Data fields (all ``torch.Tensor`` of shape (C, H, W), values in [0, 1]):

    - ``gt_clean``, ``gt_common``, ``gt_unique_a``, ``gt_unique_b``: pretext
      targets (3, H, W).
    - ``pred_fused`` (C, H, W) with C = 3 (or 1 for a grey output) and the
      optional ``pred_common``, ``pred_unique_a``, ``pred_unique_b`` (3, H, W).
    - ``cbcr`` (2, H, W): chroma of the colour source for
      ``colour_mode='luminance'``.

    Meta fields (``set_metainfo``): ``img_path`` or ``img_a_path`` /
    ``img_b_path``, ``ori_shape`` (H, W), optional ``colour_mode`` in
    {'rgb', 'luminance'}.

    Example:
        >>> import torch
        >>> sample = FusionDataSample(metainfo=dict(ori_shape=(4, 5)))
        >>> sample.gt_clean = torch.rand(3, 4, 5)
        >>> 'gt_clean' in sample
        True
    """

    def _get(self, name: str) -> Optional[torch.Tensor]:
        return getattr(self, f'_{name}')

    def _set(self, name: str, value) -> None:
        self.set_field(_check_image(name, value), f'_{name}', dtype=None)


def _make_property(name: str) -> property:

    def getter(self):
        return self._get(name)

    def setter(self, value):
        self._set(name, value)

    def deleter(self):
        del self[f'_{name}']

    return property(getter, setter, deleter, doc=f'``{name}`` (C, H, W).')


for _name in _IMAGE_FIELDS:
    setattr(FusionDataSample, _name, _make_property(_name))
