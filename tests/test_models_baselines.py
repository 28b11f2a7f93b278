"""Classical fusion baselines."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import DefaultScope

import defusion.models  # noqa: F401
from defusion.models.baselines.filters import box_filter, guided_filter
from defusion.models.baselines.laplacian_pyramid_fusion import (
    build_laplacian_pyramid, collapse_laplacian_pyramid)
from defusion.models.baselines.wavelet_fusion import haar_dwt, haar_idwt
from defusion.registry import MODELS
from defusion.structures import FusionDataSample

METHODS = ['AverageFusion', 'MaxAbsFusion', 'LaplacianPyramidFusion',
           'GuidedFilterFusion', 'WaveletFusion']


def build(name, **kwargs):
    with DefaultScope.overwrite_default_scope('defusion'):
        return MODELS.build(dict(type=name, **kwargs))


def smooth_image(h, w, seed):
    gen = torch.Generator().manual_seed(seed)
    small = torch.rand(1, 3, 4, 5, generator=gen)
    return F.interpolate(small, (h, w), mode='bilinear', align_corners=True)


@pytest.mark.parametrize('name', METHODS)
def test_identical_sources_give_the_source(name):
    model = build(name)
    img = torch.rand(1, 3, 37, 53, generator=torch.Generator().manual_seed(0))
    out = model.fuse_images(torch.stack([img, img], 1))['fused']
    assert out.shape == img.shape
    torch.testing.assert_close(out, img, atol=1e-5, rtol=0)


@pytest.mark.parametrize('name', METHODS)
def test_predict_shapes_range_and_grey(name):
    model = build(name)
    inputs = torch.rand(2, 2, 3, 29, 40)
    samples = model.predict(inputs)
    assert len(samples) == 2
    fused = samples[0].pred_fused
    assert fused.shape == (3, 29, 40)
    assert fused.min() >= 0 and fused.max() <= 1
    grey = FusionDataSample(
        metainfo=dict(colour_mode='luminance', source_channels=(1, 1)))
    out = model.predict(inputs[:1], [grey])[0].pred_fused
    assert out.shape == (1, 29, 40)
    assert model(inputs, mode='tensor').shape == (2, 3, 29, 40)


@pytest.mark.parametrize('name', METHODS)
def test_loss_raises_clear_error(name):
    model = build(name)
    with pytest.raises(RuntimeError, match='no trainable parameters.*test'):
        model(torch.rand(1, 2, 3, 8, 8), [FusionDataSample()], mode='loss')
    assert sum(p.numel() for p in model.parameters()) == 0


def test_average_is_mean():
    a, b = torch.rand(1, 3, 6, 7), torch.rand(1, 3, 6, 7)
    out = build('AverageFusion').fuse_images(torch.stack([a, b], 1))['fused']
    torch.testing.assert_close(out, (a + b) / 2)


def test_gff_in_range_and_between_sources_for_smooth_images():
    model = build('GuidedFilterFusion')
    # Constant sources: detail layers vanish, the output is a convex blend.
    a, b = torch.full((1, 3, 40, 50), 0.2), torch.full((1, 3, 40, 50), 0.7)
    out = model.fuse_images(torch.stack([a, b], 1))['fused']
    assert (out >= 0.2 - 1e-5).all() and (out <= 0.7 + 1e-5).all()
    # Smooth sources: overshoot only as large as the (small) detail layers.
    h, w = 64, 80
    y = torch.linspace(0, 1, h)[:, None]
    x = torch.linspace(0, 1, w)[None]
    a = (0.4 + 0.15 * torch.sin(2 * math.pi * x) *
         torch.cos(math.pi * y)).expand(1, 3, h, w)
    b = (0.6 + 0.15 * torch.cos(2 * math.pi * y + 1) *
         torch.ones_like(x)).expand(1, 3, h, w)
    out = model.fuse_images(torch.stack([a, b], 1))['fused']
    lo, hi = torch.minimum(a, b), torch.maximum(a, b)
    assert out.min() >= 0 and out.max() <= 1
    assert (out >= lo - 0.05).all() and (out <= hi + 0.05).all()
    assert ((out >= lo - 1e-3) & (out <= hi + 1e-3)).float().mean() > 0.9


def test_maxabs_and_pyramids_keep_the_textured_source():
    flat = torch.full((1, 3, 48, 48), 0.5)
    gen = torch.Generator().manual_seed(4)
    texture = 0.5 + 0.4 * (torch.rand(1, 1, 48, 48, generator=gen) - 0.5)
    texture = texture.expand(1, 3, 48, 48)
    inputs = torch.stack([flat, texture], 1)
    for name in ('MaxAbsFusion', 'LaplacianPyramidFusion', 'WaveletFusion'):
        out = build(name).fuse_images(inputs)['fused']
        # Most of the texture's contrast survives (average would keep half).
        ratio = (out - 0.5).std() / (texture - 0.5).std()
        assert ratio > 0.8, (name, ratio)
    avg = build('AverageFusion').fuse_images(inputs)['fused']
    assert (avg - 0.5).std() / (texture - 0.5).std() < 0.55


def test_laplacian_and_haar_perfect_reconstruction():
    x = torch.rand(1, 3, 37, 53)
    pyramid = build_laplacian_pyramid(x, 3)
    assert len(pyramid) == 4 and pyramid[-1].shape[-2:] == (5, 7)
    torch.testing.assert_close(collapse_laplacian_pyramid(pyramid), x,
                               atol=1e-5, rtol=0)
    even = x[..., :36, :52]
    approx, details = haar_dwt(even)
    assert details.shape == (1, 3, 3, 18, 26)
    torch.testing.assert_close(haar_idwt(approx, details), even, atol=1e-5,
                               rtol=0)


def test_box_and_guided_filters():
    x = torch.rand(1, 1, 9, 11)
    # Clipped-window mean: at the corner with r=1 it averages a 2x2 block.
    out = box_filter(x, 1)
    torch.testing.assert_close(out[0, 0, 0, 0], x[0, 0, :2, :2].mean())
    torch.testing.assert_close(out[0, 0, 4, 5], x[0, 0, 3:6, 4:7].mean())
    # Guided filter with a tiny eps and the image as its own guide keeps it.
    torch.testing.assert_close(guided_filter(x, x, 2, 1e-8), x, atol=1e-3,
                               rtol=0)
    # A constant input stays constant.
    const = torch.full((1, 2, 9, 11), 0.3)
    torch.testing.assert_close(guided_filter(x, const, 45, 0.3), const)


def test_bad_arguments():
    with pytest.raises(ValueError, match='activity'):
        build('MaxAbsFusion', activity='max')
    with pytest.raises(ValueError, match='num_levels'):
        build('LaplacianPyramidFusion', num_levels=0)


def test_maxabs_consistency_removes_isolated_switches():
    gen = torch.Generator().manual_seed(5)
    a = 0.5 + 0.2 * (torch.rand(1, 3, 32, 32, generator=gen) - 0.5)
    b = a.clone()
    b[..., 16, 16] += 0.3  # one pixel where B is more active
    inputs = torch.stack([a, b], 1)
    plain = build('MaxAbsFusion', activity='value',
                  consistency_radius=0).fuse_images(inputs)
    voted = build('MaxAbsFusion', activity='value',
                  consistency_radius=2).fuse_images(inputs)
    assert plain['fused'][..., 16, 16].sub(b[..., 16, 16]).abs().max() < 1e-6
    torch.testing.assert_close(voted['fused'], a)
    with pytest.raises(ValueError, match='consistency_radius'):
        build('MaxAbsFusion', consistency_radius=-1)


def test_box_filter_large_radius_matches_direct_mean():
    x = torch.rand(1, 2, 30, 41)
    out = box_filter(x, 12)  # cumulative-sum path
    for i, j in [(0, 0), (15, 20), (29, 40), (5, 33)]:
        win = x[..., max(0, i - 12):i + 13, max(0, j - 12):j + 13]
        torch.testing.assert_close(out[..., i, j], win.mean((-2, -1)))
