"""Packing a synthesised pretext pair into model inputs and a data sample."""
from typing import Sequence

import numpy as np
import torch

from defusion.registry import TRANSFORMS
from defusion.structures import FusionDataSample
from .load_image_pair import BaseTransform


def _to_chw_tensor(image: np.ndarray) -> torch.Tensor:
    """(H, W, 3) float array -> (3, H, W) float32 tensor."""
    return torch.from_numpy(
        np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32))


@TRANSFORMS.register_module()
class PackPretextInputs(BaseTransform):
    """Pack the output of :class:`SynthesizePretextPair`.

    Required keys: ``source_a``, ``source_b``, ``img`` (the clean crop),
    ``gt_common``, ``gt_unique_a``, ``gt_unique_b``, all (H, W, 3) float32 in
    [0, 1].

    Output: ``{'inputs': Tensor (2, 3, H, W) float32 in [0, 1],
    'data_samples': FusionDataSample}``. The data sample holds
    ``gt_clean`` (= the clean crop), ``gt_common``, ``gt_unique_a``,
    ``gt_unique_b`` and, with ``keep_sources=True``, ``gt_source_a`` and
    ``gt_source_b`` (copies of the two sources in [0, 1], used by
    ``PretextReconstructionMetric``), all (3, H, W); metainfo from
    ``meta_keys`` (present keys only).

    Args:
        keep_sources (bool): Also store the sources in the data sample.
            Defaults to True.
        meta_keys (Sequence[str]): Keys copied to the metainfo.
            Defaults to ('img_path', 'ori_shape', 'img_shape', 'sample_idx',
            'keep_prob').
    """

    def __init__(self,
                 keep_sources: bool = True,
                 meta_keys: Sequence[str] = ('img_path', 'ori_shape',
                                             'img_shape', 'sample_idx',
                                             'keep_prob')) -> None:
        self.keep_sources = keep_sources
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        required = ('source_a', 'source_b', 'img', 'gt_common', 'gt_unique_a',
                    'gt_unique_b')
        missing = [key for key in required if key not in results]
        if missing:
            raise KeyError(f'{self.__class__.__name__} needs the keys '
                           f'{missing} (put SynthesizePretextPair before it '
                           f'in the pipeline); got keys {sorted(results)}')
        source_a = _to_chw_tensor(results['source_a'])
        source_b = _to_chw_tensor(results['source_b'])
        data_sample = FusionDataSample()
        data_sample.gt_clean = _to_chw_tensor(results['img'])
        data_sample.gt_common = _to_chw_tensor(results['gt_common'])
        data_sample.gt_unique_a = _to_chw_tensor(results['gt_unique_a'])
        data_sample.gt_unique_b = _to_chw_tensor(results['gt_unique_b'])
        if self.keep_sources:
            data_sample.set_field(source_a.clone(), 'gt_source_a')
            data_sample.set_field(source_b.clone(), 'gt_source_b')
        metainfo = {}
        for key in self.meta_keys:
            if key in results:
                value = results[key]
                metainfo[key] = tuple(value) if key.endswith('shape') \
                    else value
        data_sample.set_metainfo(metainfo)
        return dict(
            inputs=torch.stack([source_a, source_b]),
            data_samples=data_sample)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keep_sources='
                f'{self.keep_sources}, meta_keys={self.meta_keys})')
