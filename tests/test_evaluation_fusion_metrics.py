"""Unit tests of the fusion metric functions and FusionMetric."""
import math

import numpy as np
import pytest
import torch
from PIL import Image

from defusion.evaluation.functional import (
    average_gradient, compute_fusion_metrics, correlation_coefficient,
    entropy, mef_ssim, ms_ssim, mutual_information, mutual_information_pair,
    nabf, psnr, psnr_fusion, qabf, qcb, qcv, grey_for_metric, spatial_frequency,
    ssim, ssim_fusion, standard_deviation, sum_of_correlation_differences,
    vif, vif_pixel)
from defusion.evaluation.functional.filtering import gaussian_kernel
from defusion.evaluation.functional.fusion_similarity import ssim_grey
from defusion.evaluation.metrics import FusionMetric, load_image_for_metric
from defusion.registry import METRICS
from defusion.structures import FusionDataSample
from defusion.visualization.image_writer import to_uint8


def textured(h=48, w=44, seed=0):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    img = 120 + 80 * np.sin(x / 3.0) * np.cos(y / 5.0) + rng.normal(
        0, 10, (h, w))
    return np.clip(np.round(img), 0, 255)


def test_entropy_known_values():
    assert entropy(np.full((8, 8), 77.0)) == 0
    half = np.zeros((8, 8))
    half[:, 4:] = 200
    assert entropy(half) == pytest.approx(1.0)
    assert entropy(half, rounding='floor') == pytest.approx(1.0)
    four = np.repeat(np.array([0., 50, 100, 150]), 16).reshape(8, 8)
    assert entropy(four) == pytest.approx(2.0)


def test_sd_sf_ag_known_values():
    half = np.zeros((8, 8))
    half[:, 4:] = 255
    assert standard_deviation(half) == pytest.approx(127.5)
    ramp = np.tile(np.arange(10.0), (6, 1))  # +1 per column
    assert spatial_frequency(ramp) == pytest.approx(1.0)
    # VIFB normalisation: 6 * 9 differences over 60 pixels
    assert spatial_frequency(ramp, 'pixels') == pytest.approx(math.sqrt(0.9))
    assert average_gradient(ramp) == pytest.approx(math.sqrt(0.5))
    assert average_gradient(ramp, 'vifb') == pytest.approx(
        math.sqrt(0.5) * 60 / 45)


def test_mutual_information_of_identical_images_is_entropy():
    a = textured()
    assert mutual_information_pair(a, a) == pytest.approx(entropy(a))
    assert mutual_information(a, a, a) == pytest.approx(2 * entropy(a))
    full = a.copy()
    full[0, 0], full[0, 1] = 0, 255  # min-max binning is then the identity
    assert mutual_information_pair(full, full, base=math.e,
                                   binning='minmax') == pytest.approx(
                                       entropy(full) * math.log(2))
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 256, a.shape).astype(float)
    assert mutual_information_pair(a, noise) < entropy(a) - 1


def test_ssim_and_psnr_known_values():
    x = torch.rand(2, 3, 24, 24, dtype=torch.float64)
    assert torch.allclose(ssim(x, x), torch.ones(2, dtype=torch.float64))
    assert ssim(x, 1 - x).max() < 0.5
    zeros = torch.zeros(1, 1, 8, 8)
    assert psnr(zeros, zeros + 0.1).item() == pytest.approx(20.0, abs=1e-4)
    assert psnr(zeros * 255, zeros + 25.5,
                data_range=255).item() == pytest.approx(20.0, abs=1e-4)
    a = textured()
    assert ssim_fusion(a, a, a) == pytest.approx(2.0)
    assert psnr_fusion(a + 10, a - 10, a) == pytest.approx(
        10 * math.log10(255**2 / 100))
    with pytest.raises(ValueError, match='same shape'):
        ssim(x, x[:, :, :20])
    with pytest.raises(ValueError, match='smaller than the SSIM window'):
        ssim(x[..., :8, :8], x[..., :8, :8])


def test_ssim_is_differentiable():
    x = torch.rand(1, 1, 16, 16, requires_grad=True)
    ssim(x, torch.rand(1, 1, 16, 16)).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_reference_metrics_for_a_perfect_fusion():
    a = textured()
    b = textured(seed=3)
    # Fused = A = B: every source's edges kept exactly, no artifacts.
    q = 0.9994 / (1 + math.exp(-15 * 0.5)) * 0.9879 / (1 + math.exp(-22 *
                                                                    0.2))
    assert qabf(a, a, a) == pytest.approx(q)
    assert nabf(a, a, a) == 0
    assert vif_pixel(textured(64, 64), textured(64, 64)) == pytest.approx(1.0)
    assert vif(*(textured(64, 64), ) * 3) == pytest.approx(2.0)
    with pytest.raises(ValueError, match='at least 41'):
        vif_pixel(a[:40], a[:40])
    assert correlation_coefficient(a, b, a) == pytest.approx(
        (1 + np.corrcoef(a.ravel(), b.ravel())[0, 1]) / 2)
    # SCD with F = A + B: corr(A, A) + corr(B, B) = 2
    assert sum_of_correlation_differences(a, b, a + b) == pytest.approx(2.0)
    # A blurred fusion keeps fewer edges than the sharp one.
    blur = (a + np.roll(a, 1, 0) + np.roll(a, 1, 1)) / 3
    assert qabf(a, a, blur) < qabf(a, a, a)
    assert vif(a, a, blur) < vif(a, a, a)


def test_chen_blum_and_chen_varshney():
    a, b = textured(64, 64), textured(64, 64, seed=7)
    assert qcb(a, a, a) == pytest.approx(1.0)
    assert qcv(a, a, a) == 0
    # Qcv: lower is better; the fused image equal to one source is closer
    # to the sources than an unrelated image
    assert 0 < qcv(a, b, a) < qcv(a, b, textured(64, 64, seed=9))
    assert 0 < qcb(a, b, (a + b) / 2) < 1


def test_ms_ssim_and_mef_ssim():
    a = textured(180, 180)
    assert ms_ssim(a, a) == pytest.approx(1.0)
    assert ms_ssim(a, a * 0.5 + 60) < 1.0
    with pytest.raises(ValueError, match='at least 176'):
        ms_ssim(a[:100], a[:100])
    assert mef_ssim([a, a], a) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError, match='at least 11'):
        mef_ssim([a[:10], a[:10]], a[:10])
    dark, bright = a * 0.4, np.clip(a * 1.3 + 60, 0, 255)
    good = mef_ssim([dark, bright], (dark + bright) / 2)
    bad = mef_ssim([dark, bright], np.full_like(a, 128.0))
    assert 0 < bad < good <= 1


def test_compute_fusion_metrics_conventions():
    rng = np.random.default_rng(0)
    vi = rng.integers(0, 256, (40, 48, 3)).astype(float)
    ir = textured(40, 48)
    fused = np.clip(np.round(vi * 0.5 + ir[..., None] * 0.5), 0, 255)
    vifb = compute_fusion_metrics(vi, ir, fused, ['EN', 'SSIM', 'SD'], 'vifb')
    # VIFB: per channel against the matching source channel, then mean
    assert vifb['EN'] == pytest.approx(
        np.mean([entropy(fused[..., k], rounding='floor') for k in range(3)]))
    assert vifb['SSIM'] == pytest.approx(
        np.mean([ssim_fusion(vi[..., k], ir, fused[..., k])
                 for k in range(3)]))
    default = compute_fusion_metrics(vi, ir, fused, ['SD'])
    luma = fused @ np.array([0.299, 0.587, 0.114])
    assert default['SD'] == pytest.approx(luma.std())
    # VIFB's SF lays the channels side by side: the seams count.
    flat = np.stack([np.full((4, 5), v) for v in (0., 100., 200.)], -1)
    sf = compute_fusion_metrics(flat, flat, flat, ['SF'], 'vifb')['SF']
    assert sf == pytest.approx(math.sqrt(2 * 4 * 100**2 / (4 * 15)))
    assert compute_fusion_metrics(flat, flat, flat, ['SF'])['SF'] == 0
    # grey fused image with a colour source: MATLAB rgb2gray (rounded)
    grey = fused[..., 1]
    assert compute_fusion_metrics(vi, ir, grey, ['SSIM'],
                                  'vifb')['SSIM'] == pytest.approx(
                                      ssim_fusion(
                                          grey_for_metric(vi, 'vifb'), ir, grey))
    assert np.array_equal(grey_for_metric(np.full((1, 1, 3), 200.0), 'vifb'),
                          [[200.0]])


def test_compute_fusion_metrics_errors():
    a = textured()
    with pytest.raises(ValueError, match='unknown fusion metric'):
        compute_fusion_metrics(a, a, a, ['EN', 'Qxyz'])
    with pytest.raises(ValueError, match='unknown convention'):
        compute_fusion_metrics(a, a, a, ['EN'], 'matlab')
    with pytest.raises(ValueError, match='same height and width'):
        compute_fusion_metrics(a, a, a[:, :30], ['EN'])


def write_pair(tmp_path, name, h=48, w=44, seed=0):
    rng = np.random.default_rng(seed)
    vi = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    ir = textured(h, w, seed).astype(np.uint8)
    pa, pb = tmp_path / f'{name}_vi.png', tmp_path / f'{name}_ir.png'
    Image.fromarray(vi).save(pa)
    Image.fromarray(ir).save(pb)
    return str(pa), str(pb), vi.astype(float), ir.astype(float)


def make_sample(path_a, path_b, fused):
    sample = FusionDataSample(
        metainfo=dict(img_a_path=path_a, img_b_path=path_b,
                      ori_shape=fused.shape[-2:]))
    sample.pred_fused = fused
    return sample


def test_load_image_for_metric(tmp_path):
    pa, pb, vi, ir = write_pair(tmp_path, 'x')
    assert load_image_for_metric(pa).shape == (48, 44, 3)
    assert np.array_equal(load_image_for_metric(pb), ir)
    with pytest.raises(FileNotFoundError, match='missing.png'):
        load_image_for_metric(str(tmp_path / 'missing.png'))


@pytest.mark.parametrize('convention', ['default', 'vifb'])
def test_fusion_metric_end_to_end(tmp_path, convention):
    names = ['EN', 'SD', 'MI', 'Qabf', 'SSIM', 'VIF']
    metric = METRICS.build(
        dict(type='FusionMetric', metrics=names, convention=convention))
    expected = []
    for i in range(2):
        pa, pb, vi, ir = write_pair(tmp_path, f'p{i}', seed=i)
        fused = (vi + ir[..., None]) / 2 / 255
        pred = torch.from_numpy(fused.transpose(2, 0, 1)).float()
        metric.process(None, [make_sample(pa, pb, pred).to_dict()])
        # Scored as saved: the 8-bit levels write_image would write.
        fused_255 = to_uint8(pred).astype(np.float64)
        expected.append(
            compute_fusion_metrics(vi, ir, fused_255, names, convention))
    results = metric.evaluate(2)
    assert set(results) == set(names)
    for name in names:
        assert results[name] == pytest.approx(
            np.mean([e[name] for e in expected]), rel=1e-6)
    assert 0 < results['Qabf'] < 1 and results['EN'] > 0


def test_fusion_metric_float_scoring_switch(tmp_path):
    names = ['SF', 'Nabf']
    pa, pb, vi, ir = write_pair(tmp_path, 'q')
    fused = (vi * 0.3 + ir[..., None] * 0.7) / 255
    pred = torch.from_numpy(fused.transpose(2, 0, 1)).float()
    results = {}
    for quantize in (True, False):
        metric = FusionMetric(metrics=names, quantize=quantize)
        metric.process(None, [make_sample(pa, pb, pred).to_dict()])
        results[quantize] = metric.evaluate(1)
    exact = compute_fusion_metrics(
        vi, ir, pred.double().numpy().transpose(1, 2, 0) * 255, names)
    assert results[False]['SF'] == pytest.approx(exact['SF'], rel=1e-5)
    assert results[True]['SF'] != pytest.approx(exact['SF'], rel=1e-5)


def test_nabf_ignores_float_rounding_of_a_source():
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 255, (32, 32))
    b = rng.uniform(0, 255, (32, 32))
    # A weighted mean that is source a up to 0.05%: no artifacts.
    fused = a * 1.0005 - b * 0.0005 + 1e-4 * rng.standard_normal(a.shape)
    assert nabf(a, b, fused) < 1e-3
    # Real overshoot (edges 20% stronger than both sources) is counted.
    assert nabf(a, b, 1.2 * a - 0.2 * a.mean()) > 0.05


def test_fusion_metric_grey_prediction_and_errors(tmp_path):
    pa, pb, vi, ir = write_pair(tmp_path, 'g')
    metric = FusionMetric(metrics=['EN', 'PSNR'])
    metric.process(None, [make_sample(pa, pb, torch.rand(1, 48, 44))])
    assert set(metric.evaluate(1)) == {'EN', 'PSNR'}
    with pytest.raises(ValueError, match='does not match'):
        metric.process(None, [make_sample(pa, pb, torch.rand(3, 40, 40))])
    no_paths = FusionDataSample(metainfo=dict(img_path='x.png'))
    no_paths.pred_fused = torch.rand(3, 48, 44)
    with pytest.raises(ValueError, match='img_a_path'):
        metric.process(None, [no_paths])
    with pytest.raises(ValueError, match='unknown fusion metric'):
        FusionMetric(metrics=['EN', 'QQ'])
    with pytest.raises(ValueError, match='unknown convention'):
        FusionMetric(convention='piq')


def _mef_ssim_per_patch(stack, fused):
    """Literal per-patch MEF-SSIM (Ma et al.'s algorithm), for checking."""
    eps = np.finfo(float).eps
    win = gaussian_kernel(11, 1.5).ravel()
    h, w = fused.shape
    scores = []
    for i in range(5, h - 5):
        for j in range(5, w - 5):
            blocks = [s[i - 5:i + 6, j - 5:j + 6].ravel() for s in stack]
            mus = [blk.mean() for blk in blocks]
            eds = [np.linalg.norm(blk - m) + 0.001
                   for blk, m in zip(blocks, mus)]
            total = sum(blocks)
            r = (np.linalg.norm(total - total.mean()) + eps) / (
                sum(e - 0.001 for e in eds) + eps)
            p = min(np.tan(np.pi / 2 * min(r, 1 - eps)), 10)
            wts = np.array([(e / 11)**p + eps for e in eds])
            wts /= wts.sum()
            ref = sum(wk * (blk - m) / e
                      for wk, blk, m, e in zip(wts, blocks, mus, eds))
            if np.linalg.norm(ref) > 0:
                ref = ref / np.linalg.norm(ref) * max(eds)
            fv = fused[i - 5:i + 6, j - 5:j + 6].ravel()
            m1, m2 = (win * ref).sum(), (win * fv).sum()
            s1 = (win * (ref - m1)**2).sum()
            s2 = (win * (fv - m2)**2).sum()
            s12 = (win * (ref - m1) * (fv - m2)).sum()
            c = (0.03 * 255)**2
            scores.append((2 * s12 + c) / (s1 + s2 + c))
    return float(np.mean(scores))


def test_mef_ssim_matches_per_patch_definition():
    rng = np.random.default_rng(0)
    base = rng.random((20, 23)) * 200
    stack = [base * 0.5 + rng.random((20, 23)) * 20,
             np.clip(base * 1.2 + 40, 0, 255),
             base * 0.8 + rng.random((20, 23)) * 60]
    fused = np.mean(stack, 0) + rng.random((20, 23)) * 10
    assert mef_ssim(stack, fused) == pytest.approx(
        _mef_ssim_per_patch(stack, fused), abs=1e-12)
    assert mef_ssim(stack[:2], stack[0]) == pytest.approx(
        _mef_ssim_per_patch(stack[:2], stack[0]), abs=1e-12)


def test_numpy_and_torch_ssim_agree():
    a, b = textured(), textured(seed=5)
    torch_value = ssim(
        torch.from_numpy(a)[None, None], torch.from_numpy(b)[None, None],
        data_range=255.0).item()
    assert ssim_grey(a, b) == pytest.approx(torch_value, abs=1e-12)
