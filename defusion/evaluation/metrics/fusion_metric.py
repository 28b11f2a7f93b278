"""Dataset level fusion metrics (EN, MI, Qabf, SSIM, ...) for mmengine."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from PIL import Image

from defusion.evaluation.functional import (DEFAULT_METRICS,
                                            compute_fusion_metrics)
from defusion.evaluation.functional.fusion_metrics import check_names
from defusion.registry import METRICS


def load_image_for_metric(path: str) -> np.ndarray:
    """Read a source image in its original form for metric computation.

    Args:
        path (str): image file.

    Returns:
        np.ndarray: float64 on [0, 255], (H, W) for grey files and
        (H, W, 3) RGB for colour files (palette / alpha / CMYK images are
        converted to RGB, grey + alpha to grey).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'source image not found: {path}')
    with Image.open(path) as img:
        if img.mode in ('L', 'RGB'):
            pass
        elif img.mode == 'LA':
            img = img.convert('L')
        elif img.mode in ('P', 'RGBA', 'CMYK', 'YCbCr', 'PA'):
            img = img.convert('RGB')
        else:
            raise ValueError(f'unsupported image mode {img.mode!r} (need 8-bit'
                             f' grey or colour) in {path}')
        return np.asarray(img, dtype=np.float64)


def _to_dict(sample) -> dict:
    return sample.to_dict() if hasattr(sample, 'to_dict') else sample


@METRICS.register_module()
class FusionMetric(BaseMetric):
    """Fusion quality metrics averaged over a dataset of real source pairs.

    For every data sample the fused prediction ``pred_fused`` (C, H, W) in
    [0, 1] (C = 3 or 1) is compared with the *original* source images read
    from the metainfo paths ``img_a_path`` and ``img_b_path`` (not the
    network inputs), see ``defusion.evaluation.functional.fusion_metrics``
    for the metric definitions and conventions.

    Args:
        metrics (Sequence[str]): metric names, default ``DEFAULT_METRICS``
            (EN, SD, SF, AG, MI, SCD, CC, VIF, Qabf, Nabf, SSIM, PSNR).
        convention (str): ``'default'`` or ``'vifb'``.
        quantize (bool): Score what a user saves: the prediction is rounded
            to 8-bit levels first (as the written PNG). False scores the
            float prediction. Defaults to True (always True under
            ``'vifb'``, whose saved images are 8 bit).
        collect_device (str): ``'cpu'`` or ``'gpu'``.
        prefix (str, optional): prefix of the result keys; by default the
            keys are the metric names ('EN', 'MI', 'Qabf', ...).
    """
    default_prefix: Optional[str] = None

    def __init__(self,
                 metrics: Sequence[str] = DEFAULT_METRICS,
                 convention: str = 'default',
                 quantize: bool = True,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.metrics = check_names(metrics, convention)
        self.convention = convention
        self.quantize = bool(quantize) or convention == 'vifb'

    def _fused_image(self, pred, name: str) -> np.ndarray:
        if not hasattr(pred, 'detach') or pred.dim() != 3 or \
                pred.shape[0] not in (1, 3):
            raise ValueError(f'pred_fused of {name} must be a (C, H, W) '
                             f'tensor with C in (1, 3), got '
                             f'{getattr(pred, "shape", type(pred).__name__)}')
        img = pred.detach().float().cpu().clamp(0, 1).numpy()
        img = img.transpose(1, 2, 0) * np.float32(255)
        if self.quantize:  # exactly what write_image saves
            img = np.round(img)
        img = img.astype(np.float64)
        return img[..., 0] if img.shape[2] == 1 else img

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Compute the metrics of each sample against its source files."""
        for sample in data_samples:
            sample = _to_dict(sample)
            path_a, path_b = sample.get('img_a_path'), sample.get('img_b_path')
            if path_a is None or path_b is None:
                raise ValueError('FusionMetric needs metainfo img_a_path and '
                                 'img_b_path (real source pairs); got keys '
                                 f'{sorted(sample)}')
            if sample.get('pred_fused') is None:
                raise ValueError(f'data sample of {path_a} has no pred_fused')
            fused = self._fused_image(sample['pred_fused'], path_a)
            img_a = load_image_for_metric(path_a)
            img_b = load_image_for_metric(path_b)
            if not img_a.shape[:2] == img_b.shape[:2] == fused.shape[:2]:
                raise ValueError(
                    f'fused image of size {fused.shape[:2]} does not match '
                    f'the sources {path_a} {img_a.shape[:2]} and {path_b} '
                    f'{img_b.shape[:2]}')
            self.results.append(
                compute_fusion_metrics(img_a, img_b, fused, self.metrics,
                                       self.convention))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Mean of every metric over all samples."""
        if not results:
            raise ValueError('FusionMetric got no samples to evaluate')
        return {
            name: float(np.mean([r[name] for r in results]))
            for name in self.metrics
        }
