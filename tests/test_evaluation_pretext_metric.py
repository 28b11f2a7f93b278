"""Tests of PretextReconstructionMetric."""
import math

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator

from defusion.datasets.transforms import (PackPretextInputs,
                                          SynthesizePretextPair)
from defusion.evaluation.metrics import PretextReconstructionMetric
from defusion.structures import FusionDataSample


def sample(gt, pred, source_a=None, source_b=None):
    data_sample = FusionDataSample(metainfo=dict(img_path='x.jpg'))
    data_sample.gt_clean = gt
    data_sample.pred_fused = pred
    if source_a is not None:
        data_sample.set_field(source_a, 'gt_source_a')
        data_sample.set_field(source_b, 'gt_source_b')
    return data_sample


def test_known_psnr_and_ssim():
    gt = torch.zeros(3, 16, 16)
    metric = PretextReconstructionMetric()
    metric.process(None, [sample(gt, gt + 0.1).to_dict()])
    metric.process(None, [sample(gt, gt + 0.01).to_dict()])
    results = metric.evaluate(2)
    # MSE 0.01 -> 20 dB, MSE 1e-4 -> 40 dB
    assert results['pretext/psnr_fused'] == pytest.approx(30.0, abs=1e-3)
    assert 'pretext/psnr_source_a' not in results
    same = torch.rand(3, 16, 16)
    metric = PretextReconstructionMetric(prefix='val')
    metric.process(None, [sample(same, same.clone())])
    results = metric.evaluate(1)
    assert results['val/psnr_fused'] == 100.0  # inf capped at max_psnr
    assert results['val/ssim_fused'] == pytest.approx(1.0, abs=1e-6)


def test_fused_beats_noisy_sources_through_evaluator():
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:48, 0:48].astype(np.float32)
    img = np.stack([0.5 + 0.4 * np.sin(xx / 6 + c) * np.cos(yy / 4)
                    for c in range(3)], axis=2).astype(np.float32)
    synth = SynthesizePretextPair(crop_size=32, seed=0)
    pack = PackPretextInputs()
    samples = []
    for _ in range(4):
        packed = pack(synth(dict(img=img.copy(), img_path='s.png')))
        data_sample = packed['data_samples']
        noise = torch.from_numpy(
            rng.normal(0, 0.02, (3, 32, 32)).astype(np.float32))
        data_sample.pred_fused = (data_sample.gt_clean + noise).clamp(0, 1)
        samples.append(data_sample)
    evaluator = Evaluator(PretextReconstructionMetric())
    evaluator.process(samples)
    results = evaluator.evaluate(4)
    expected_keys = {f'pretext/{m}_{k}' for m in ('psnr', 'ssim')
                     for k in ('fused', 'source_a', 'source_b')}
    assert set(results) == expected_keys
    assert results['pretext/psnr_fused'] > 30
    assert results['pretext/psnr_fused'] > results['pretext/psnr_source_a'] + 5
    assert results['pretext/psnr_fused'] > results['pretext/psnr_source_b'] + 5
    assert results['pretext/ssim_fused'] > max(
        results['pretext/ssim_source_a'], results['pretext/ssim_source_b'])
    for value in results.values():
        assert math.isfinite(value)


def test_errors():
    metric = PretextReconstructionMetric()
    with pytest.raises(KeyError, match='pred_fused'):
        metric.process(None, [dict(gt_clean=torch.rand(3, 8, 8))])
    with pytest.raises(ValueError, match='shape'):
        metric.process(None, [dict(gt_clean=torch.rand(3, 8, 8),
                                   pred_fused=torch.rand(1, 8, 8))])
    with pytest.raises(ValueError, match=r'\(C, H, W\)'):
        metric.process(None, [dict(gt_clean=torch.rand(8, 8),
                                   pred_fused=torch.rand(8, 8))])
