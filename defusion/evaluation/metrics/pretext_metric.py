"""Reconstruction quality on the self-supervised pretext task."""
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.structures import BaseDataElement

from defusion.registry import METRICS
from ..functional import psnr, ssim


def _image(sample: dict, key: str) -> Optional[torch.Tensor]:
    value = sample.get(key)
    if value is None:
        return None
    if not isinstance(value, torch.Tensor) or value.dim() != 3:
        raise ValueError(f'PretextReconstructionMetric: {key} must be a '
                         '(C, H, W) tensor, got '
                         f'{getattr(value, "shape", type(value).__name__)}')
    return value.detach().to('cpu', torch.float32)[None]


@METRICS.register_module()
class PretextReconstructionMetric(BaseMetric):
    """PSNR and SSIM of the fused image against the clean image, and of each
    corrupted source against the clean image for reference.

    Expects data samples with ``pred_fused`` and ``gt_clean`` (3, H, W) in
    [0, 1] and, for the source scores, ``gt_source_a`` / ``gt_source_b``
    (stored by ``PackPretextInputs(keep_sources=True)``).

    Results (means over the dataset): ``psnr_fused``, ``ssim_fused``,
    ``psnr_source_a``, ``psnr_source_b``, ``ssim_source_a``, ``ssim_source_b``
    (the source keys only when the sources are present). A fused PSNR above
    both source PSNRs means the model combines the two views.

    Args:
        data_range (float): Dynamic range of the images. Defaults to 1.0.
        max_psnr (float): PSNR of identical images (infinite) is capped at
            this value. Defaults to 100.0.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the result keys. Defaults to
            'pretext'.
    """

    default_prefix = 'pretext'

    def __init__(self,
                 data_range: float = 1.0,
                 max_psnr: float = 100.0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.data_range = float(data_range)
        self.max_psnr = float(max_psnr)

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Score each sample and store the scores in ``self.results``.

        The fused image and the sources of a sample are scored against
        ``gt_clean`` in one batched call.
        """
        for sample in data_samples:
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            gt = _image(sample, 'gt_clean')
            pred = _image(sample, 'pred_fused')
            if gt is None or pred is None:
                raise KeyError('PretextReconstructionMetric needs pred_fused '
                               'and gt_clean in every data sample, got keys '
                               f'{sorted(sample)}')
            names, images = ['fused'], [pred]
            for index in ('a', 'b'):
                source = _image(sample, f'gt_source_{index}')
                if source is not None:
                    names.append(f'source_{index}')
                    images.append(source)
            for name, image in zip(names, images):
                if image.shape != gt.shape:
                    raise ValueError(
                        f'PretextReconstructionMetric: {name} has shape '
                        f'{tuple(image.shape[1:])} but gt_clean has '
                        f'{tuple(gt.shape[1:])}')
            images = torch.cat(images)
            gts = gt.expand_as(images)
            psnrs = psnr(images, gts, data_range=self.data_range)
            psnrs = psnrs.clamp(max=self.max_psnr)
            ssims = ssim(images, gts, data_range=self.data_range)
            scores = {}
            for name, psnr_value, ssim_value in zip(names, psnrs, ssims):
                scores[f'psnr_{name}'] = float(psnr_value)
                scores[f'ssim_{name}'] = float(ssim_value)
            self.results.append(scores)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Average every score over the samples that have it."""
        metrics = OrderedDict()
        keys = []
        for scores in results:
            keys.extend(k for k in scores if k not in keys)
        for key in keys:
            values = [scores[key] for scores in results if key in scores]
            metrics[key] = float(np.mean(values))
        return metrics
