"""Tests of the pretext pair synthesis: loading, synthesis, packing."""
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from defusion.datasets.transforms import (LoadNaturalImage, PackPretextInputs,
                                          SynthesizePretextPair)
from defusion.datasets.transforms.image_ops import (adjust_brightness,
                                                    adjust_contrast,
                                                    adjust_saturation,
                                                    random_resized_crop_box,
                                                    resized_crop)
from defusion.datasets.transforms.load_natural_image import ImageReadError
from defusion.datasets.transforms.synthesize_pretext_pair import block_grid
from defusion.structures import FusionDataSample

VAL_DIR = Path(__file__).resolve().parents[1].parent / 'shared' / 'data' / \
    'pretrain' / 'val'


def smooth_image(height=48, width=60, seed=0):
    """A colourful smooth float32 image in [0, 1]."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.stack([
        0.5 + 0.4 * np.sin(xx / 7 + c) * np.cos(yy / 5 - c) for c in range(3)
    ], axis=2)
    img += 0.05 * rng.random(img.shape)
    return np.clip(img, 0, 1).astype(np.float32)


def results_for(img, path='dir/img_0001.jpg'):
    return dict(img=img.copy(), img_path=path, ori_shape=img.shape[:2])


# ------------------------------------------------------------ image ops
def test_colour_ops_values():
    img = smooth_image()
    np.testing.assert_allclose(adjust_brightness(img, 0.5), img * 0.5,
                               atol=1e-6)
    np.testing.assert_allclose(adjust_brightness(img, 1.0), img, atol=1e-6)
    flat = adjust_contrast(img, 0.0)
    grey_mean = (img @ np.array([0.299, 0.587, 0.114])).mean()
    np.testing.assert_allclose(flat, grey_mean, atol=1e-5)
    grey = adjust_saturation(img, 0.0)
    np.testing.assert_allclose(grey[..., 0], grey[..., 2], atol=1e-6)
    np.testing.assert_allclose(adjust_saturation(img, 1.0), img, atol=1e-6)


def test_random_resized_crop_box_in_range():
    rng = np.random.default_rng(0)
    for _ in range(200):
        top, left, h, w = random_resized_crop_box(90, 120, rng)
        assert 0 <= top and top + h <= 90 and 0 <= left and left + w <= 120
        assert h > 0 and w > 0
        # rounding to whole pixels moves area and ratio a little
        assert 0.08 * 0.8 <= h * w / (90 * 120) <= 1.0
        assert 3 / 4 * 0.85 <= w / h <= 4 / 3 * 1.15


def test_resized_crop_upsamples_small_images():
    img = smooth_image(20, 24)
    out = resized_crop(img, (0, 0, 20, 24), (64, 64))
    assert out.shape == (64, 64, 3) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1


def test_block_grid_is_blocky():
    rng = np.random.default_rng(1)
    grid = block_grid(rng, 13, 0.5, (224, 224))
    assert grid.shape == (224, 224)
    assert set(np.unique(grid)) <= {0.0, 1.0}
    rows = (np.arange(224) * 13) // 224
    # pixels of one cell share a value: 13 x 13 distinct cells at most
    cells = {(r, c): grid[i, j] for i, r in enumerate(rows)
             for j, c in enumerate(rows)}
    for (i, r) in enumerate(rows):
        for (j, c) in enumerate(rows):
            assert grid[i, j] == cells[(r, c)]
    ones = np.mean([block_grid(rng, 27, 0.3, (54, 54)).mean()
                    for _ in range(200)])
    assert abs(ones - 0.3) < 0.02


# ------------------------------------------------------------ synthesis
def test_pretext_pair_invariants_many_draws():
    transform = SynthesizePretextPair(crop_size=64, seed=0)
    img = smooth_image()
    keep_probs, noise_ones, noise_count = [], 0, 0
    for _ in range(200):
        out = transform(results_for(img))
        x = out['img']
        m1, m2 = out['mask_a'], out['mask_b']
        assert x.shape == (64, 64, 3) and m1.shape == (64, 64)
        for key in ('img', 'source_a', 'source_b', 'gt_common', 'gt_unique_a',
                    'gt_unique_b'):
            assert out[key].dtype == np.float32 and out[key].shape == x.shape
            assert out[key].min() >= 0 and out[key].max() <= 1, key
        assert set(np.unique(m1)) <= {0, 1} and set(np.unique(m2)) <= {0, 1}
        assert np.all(np.maximum(m1, m2) == 1), 'M1 OR M2 must cover'
        mc = (m1 * m2)[..., None]
        u1 = (m1[..., None] - mc)
        u2 = (m2[..., None] - mc)
        np.testing.assert_array_equal(out['gt_common'], mc * x)
        np.testing.assert_array_equal(out['gt_unique_a'], u1 * x)
        np.testing.assert_array_equal(out['gt_unique_b'], u2 * x)
        # uniques are disjoint from the common part and from each other
        assert not np.any(u1 * mc) and not np.any(u2 * mc)
        assert not np.any(u1 * u2)
        np.testing.assert_allclose(
            out['gt_common'] + out['gt_unique_a'] + out['gt_unique_b'], x,
            atol=1e-6)
        for index, mask in (('a', m1), ('b', m2)):
            source = out[f'source_{index}']
            np.testing.assert_array_equal(source[mask == 1], x[mask == 1])
            noise = source[mask == 0]
            noise_ones += int(np.sum(noise == 1.0))
            noise_count += noise.size
        keep_probs.append(out['keep_prob'])
    assert min(keep_probs) >= 0.1 and max(keep_probs) < 0.1 + 1 / 1.12
    assert max(keep_probs) - min(keep_probs) > 0.6  # spread over the range
    # noise = clip(|N(0,1)|, 0, 1): P(noise == 1) = P(|N| >= 1) = 0.317
    assert noise_count > 10000
    assert abs(noise_ones / noise_count - 0.3173) < 0.03


def test_pretext_pair_non_square_and_odd_size_covers():
    transform = SynthesizePretextPair(crop_size=(50, 71), seed=3)
    for _ in range(20):
        out = transform(results_for(smooth_image()))
        assert out['img'].shape == (50, 71, 3)
        assert np.all(np.maximum(out['mask_a'], out['mask_b']) == 1)


def test_swap_happens_about_half_the_time():
    never = SynthesizePretextPair(crop_size=32, swap_prob=0.0)
    always = SynthesizePretextPair(crop_size=32, swap_prob=1.0)
    half = SynthesizePretextPair(crop_size=32, swap_prob=0.5)
    swapped = 0
    for seed in range(200):
        a1, a2, _ = never.draw_masks(np.random.default_rng(seed))
        b1, b2, _ = always.draw_masks(np.random.default_rng(seed))
        np.testing.assert_array_equal(a1, b2)
        np.testing.assert_array_equal(a2, b1)
        h1, _, _ = half.draw_masks(np.random.default_rng(seed))
        if not np.array_equal(a1, a2):
            swapped += int(np.array_equal(h1, a2))
    assert 70 <= swapped <= 130


def test_same_seed_same_pair_different_seed_different():
    img = smooth_image()
    out_a = SynthesizePretextPair(crop_size=32, seed=5)(results_for(img))
    out_b = SynthesizePretextPair(crop_size=32, seed=5)(results_for(img))
    out_c = SynthesizePretextPair(crop_size=32, seed=6)(results_for(img))
    for key in ('img', 'source_a', 'source_b', 'mask_a'):
        np.testing.assert_array_equal(out_a[key], out_b[key])
    assert not np.array_equal(out_a['source_a'], out_c['source_a'])


def test_unseeded_follows_global_numpy_seed():
    img = smooth_image()
    state = np.random.get_state()
    try:
        np.random.seed(11)
        out_a = SynthesizePretextPair(crop_size=32)(results_for(img))
        np.random.seed(11)
        out_b = SynthesizePretextPair(crop_size=32)(results_for(img))
        np.random.seed(12)
        out_c = SynthesizePretextPair(crop_size=32)(results_for(img))
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(out_a['source_a'], out_b['source_a'])
    assert not np.array_equal(out_a['source_a'], out_c['source_a'])


class _RepeatDataset(torch.utils.data.Dataset):

    def __init__(self, transform):
        self.transform = transform
        self.img = smooth_image()

    def __len__(self):
        return 4

    def __getitem__(self, idx):
        return torch.from_numpy(
            self.transform(results_for(self.img))['source_a'])


def test_dataloader_workers_draw_different_pairs():
    transform = SynthesizePretextPair(crop_size=16, seed=0)
    loader = torch.utils.data.DataLoader(
        _RepeatDataset(transform),
        batch_size=1,
        num_workers=2,
        multiprocessing_context='fork')
    items = [batch[0] for batch in loader]
    # items 0 and 1 come from different workers, each with a forked copy
    assert not torch.equal(items[0], items[1])


def test_deterministic_mode_repeats_per_image():
    img = smooth_image()
    first = SynthesizePretextPair(crop_size=32, deterministic=True)
    second = SynthesizePretextPair(crop_size=32, deterministic=True)
    a = first(results_for(img, '/x/a.jpg'))
    first(results_for(img, '/x/b.jpg'))
    a_again = first(results_for(img, '/x/a.jpg'))
    a_other = second(results_for(img, '/elsewhere/a.jpg'))
    b = second(results_for(img, '/x/b.jpg'))
    for key in ('img', 'source_a', 'source_b'):
        np.testing.assert_array_equal(a[key], a_again[key])
        np.testing.assert_array_equal(a[key], a_other[key])
    assert not np.array_equal(a['source_a'], b['source_a'])


def test_small_image_upsampled_tiny_image_rejected():
    out = SynthesizePretextPair(crop_size=64, seed=0)(
        results_for(smooth_image(20, 30)))
    assert out['img'].shape == (64, 64, 3)
    with pytest.raises(ValueError, match='tiny_one.png.*10x40'):
        SynthesizePretextPair(crop_size=64)(
            results_for(smooth_image(10, 40), 'data/tiny_one.png'))


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='crop_size'):
        SynthesizePretextPair(crop_size=0)
    with pytest.raises(ValueError, match='brightness'):
        SynthesizePretextPair(brightness=(1.0, 0.1))
    with pytest.raises(ValueError, match='swap_prob'):
        SynthesizePretextPair(swap_prob=2)
    with pytest.raises(ValueError, match=r'grey.png'):
        SynthesizePretextPair()(
            dict(img=np.zeros((30, 30)), img_path='grey.png'))


# ------------------------------------------------------------- loading
def _write(path, array, mode=None):
    Image.fromarray(array, mode=mode).save(path)
    return str(path)


def test_load_natural_image_formats(tmp_path):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (12, 17, 3), dtype=np.uint8)
    out = LoadNaturalImage()(dict(img_path=_write(tmp_path / 'a.png', rgb)))
    assert out['img'].dtype == np.float32 and out['img'].shape == (12, 17, 3)
    np.testing.assert_allclose(out['img'], rgb / 255.0, atol=1e-6)
    assert out['ori_shape'] == (12, 17)
    grey = rng.integers(0, 256, (9, 8), dtype=np.uint8)
    out = LoadNaturalImage()(dict(img_path=_write(tmp_path / 'g.png', grey)))
    assert out['img'].shape == (9, 8, 3)
    np.testing.assert_allclose(out['img'][..., 1], grey / 255.0, atol=1e-6)
    deep = (np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000)
    out = LoadNaturalImage()(dict(img_path=_write(tmp_path / 'd.png', deep)))
    np.testing.assert_allclose(out['img'][..., 0], deep / 65535.0, atol=1e-6)
    rgba = rng.integers(0, 256, (5, 6, 4), dtype=np.uint8)
    out = LoadNaturalImage()(dict(img_path=_write(tmp_path / 'r.png', rgba)))
    np.testing.assert_allclose(out['img'], rgba[..., :3] / 255.0, atol=1e-6)


def test_load_natural_image_errors(tmp_path):
    bad = tmp_path / 'broken.jpg'
    bad.write_bytes(np.random.default_rng(0).bytes(500))
    with pytest.raises(ImageReadError, match='broken.jpg'):
        LoadNaturalImage()(dict(img_path=str(bad)))
    good = tmp_path / 'good.jpg'
    Image.fromarray((smooth_image(64, 64) * 255).astype(np.uint8)).save(good)
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    with pytest.raises(ImageReadError, match='cut.jpg'):
        LoadNaturalImage()(dict(img_path=str(cut)))
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        LoadNaturalImage()(dict(img_path=str(tmp_path / 'missing.jpg')))


# ------------------------------------------------------------- packing
def test_pack_pretext_inputs():
    out = SynthesizePretextPair(crop_size=24, seed=1)(
        results_for(smooth_image()))
    out['sample_idx'] = 7
    packed = PackPretextInputs()(dict(out))
    inputs, sample = packed['inputs'], packed['data_samples']
    assert isinstance(sample, FusionDataSample)
    assert inputs.shape == (2, 3, 24, 24) and inputs.dtype == torch.float32
    np.testing.assert_array_equal(inputs[0].numpy(),
                                  out['source_a'].transpose(2, 0, 1))
    np.testing.assert_array_equal(inputs[1].numpy(),
                                  out['source_b'].transpose(2, 0, 1))
    pairs = dict(gt_clean='img', gt_common='gt_common',
                 gt_unique_a='gt_unique_a', gt_unique_b='gt_unique_b',
                 gt_source_a='source_a', gt_source_b='source_b')
    for field, key in pairs.items():
        value = getattr(sample, field)
        assert value.shape == (3, 24, 24) and value.dtype == torch.float32
        np.testing.assert_array_equal(value.numpy(),
                                      out[key].transpose(2, 0, 1))
    assert sample.img_path == 'dir/img_0001.jpg'
    assert sample.ori_shape == (48, 60)
    assert sample.sample_idx == 7
    lean = PackPretextInputs(keep_sources=False)(dict(out))['data_samples']
    assert 'gt_source_a' not in lean and 'gt_clean' in lean
    with pytest.raises(KeyError, match='SynthesizePretextPair'):
        PackPretextInputs()(dict(img=np.zeros((4, 4, 3), np.float32)))


@pytest.mark.skipif(not VAL_DIR.is_dir(), reason='shared data not found')
def test_real_photos_pipeline():
    files = sorted(VAL_DIR.glob('*.jpg'))[:3]
    assert len(files) == 3
    load = LoadNaturalImage()
    synth = SynthesizePretextPair(crop_size=64, seed=0)
    pack = PackPretextInputs()
    for path in files:
        packed = pack(synth(load(dict(img_path=str(path)))))
        inputs = packed['inputs']
        assert inputs.shape == (2, 3, 64, 64)
        assert 0 <= inputs.min() and inputs.max() <= 1
        fused = packed['data_samples'].gt_clean
        assert fused.std() > 0.01  # a real photo, not blank


def test_grids_scale_with_the_crop_and_clean_pairs():
    t = SynthesizePretextPair(crop_size=96, grid_reference_size=224, seed=0)
    assert (t.coarse_grid, t.fine_grids) == (6, (11, 12))
    paper = SynthesizePretextPair(crop_size=224, grid_reference_size=224)
    assert (paper.coarse_grid, paper.fine_grids) == (13, (26, 27))
    clean = SynthesizePretextPair(crop_size=32, clean_pair_prob=1., seed=0)
    img = np.random.default_rng(0).random((40, 40, 3)).astype(np.float32)
    out = clean(dict(img=img, img_path='x.png'))
    assert np.array_equal(out['source_a'], out['img'])
    assert np.array_equal(out['source_b'], out['img'])
    assert out['gt_unique_a'].max() == 0 and out['keep_prob'] == 1.0
    with pytest.raises(ValueError, match='clean_pair_prob'):
        SynthesizePretextPair(clean_pair_prob=1.5)


@pytest.mark.parametrize('noise, mean', [('half_normal', 0.63), ('uniform', 0.5)])
def test_noise_in_the_masked_blocks(noise, mean):
    t = SynthesizePretextPair(crop_size=64, noise=noise, brightness=None,
                              contrast=None, saturation=None, seed=0)
    img = np.full((64, 64, 3), 0.25, np.float32)
    out = t(results_for(img))
    filled = out['source_a'][out['mask_a'] == 0]
    assert filled.size > 1000
    assert filled.mean() == pytest.approx(mean, abs=0.03)
    assert filled.min() >= 0 and filled.max() <= 1
    with pytest.raises(ValueError, match='noise'):
        SynthesizePretextPair(noise='gaussian')


def test_faded_copy_in_the_masked_blocks():
    t = SynthesizePretextPair(crop_size=64, fade_prob=1., fade_gain=(0.3, 0.3),
                              brightness=None, contrast=None, saturation=None,
                              seed=0)
    img = smooth_image(80, 80)
    out = t(results_for(img))
    clean, source, mask = out['img'], out['source_a'], out['mask_a']
    assert (mask == 0).sum() > 500
    # fill = 0.3 * clean + 0.7 * level, one grey level for the whole source
    level = (source - 0.3 * clean)[mask == 0] / 0.7
    assert level.std() < 1e-5 and 0 <= level.mean() <= 1
    assert np.array_equal(source[mask == 1], clean[mask == 1])
    # targets do not depend on the fill
    assert np.array_equal(out['gt_unique_a'], (mask - out['mask_a'] *
                                               out['mask_b'])[..., None] * clean)
    for bad in (dict(fade_prob=2.), dict(fade_gain=(0.6, 0.2))):
        with pytest.raises(ValueError, match='fade'):
            SynthesizePretextPair(**bad)


def test_brighten_prob_brightens_as_often_as_it_darkens():
    img = np.full((64, 64, 3), 0.5, np.float32)

    def clean_means(brighten_prob):
        t = SynthesizePretextPair(crop_size=32, contrast=None,
                                  saturation=None, brightness=(0.2, 0.8),
                                  brighten_prob=brighten_prob, seed=0)
        return np.array([t(results_for(img))['img'].mean()
                         for _ in range(200)])

    darkened = clean_means(0.)
    assert darkened.max() <= 0.4 + 1e-6        # 0.5 * factor, factor <= 0.8
    mixed = clean_means(0.5)
    brightened = mixed[mixed > 0.5]
    # x -> 1 - factor * (1 - x): 0.5 -> 0.6 ... 0.9
    assert brightened.min() >= 0.6 - 1e-6 and brightened.max() <= 0.9 + 1e-6
    assert 0.4 < (mixed > 0.5).mean() < 0.6
    assert ((mixed <= 0.4 + 1e-6) | (mixed >= 0.6 - 1e-6)).all()
    assert clean_means(1.).min() >= 0.6 - 1e-6
    with pytest.raises(ValueError, match='brighten_prob'):
        SynthesizePretextPair(brighten_prob=-0.1)


def test_invert_prob_takes_the_negative_as_often_as_asked():
    img = np.full((64, 64, 3), 0.2, np.float32)

    def clean_means(invert_prob):
        t = SynthesizePretextPair(crop_size=32, brightness=None,
                                  contrast=None, saturation=None,
                                  invert_prob=invert_prob, seed=0)
        return np.array([t(results_for(img))['img'].mean()
                         for _ in range(200)])

    np.testing.assert_allclose(clean_means(0.), 0.2, atol=1e-6)
    np.testing.assert_allclose(clean_means(1.), 0.8, atol=1e-6)
    mixed = clean_means(0.5)
    assert ((np.abs(mixed - 0.2) < 1e-6) | (np.abs(mixed - 0.8) < 1e-6)).all()
    assert 0.4 < (mixed > 0.5).mean() < 0.6
    with pytest.raises(ValueError, match='invert_prob'):
        SynthesizePretextPair(invert_prob=1.5)
