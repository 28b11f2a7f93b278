"""init_fuser / fuse / tiled inference."""
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint

from defusion.apis import fuse, fuse_tiled, init_fuser
from defusion.utils.colour import rgb_to_ycbcr

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs'


def baseline(name='AverageFusion', **kwargs):
    return init_fuser(Config(dict(model=dict(type=name, **kwargs))))


def small_defusion():
    cfg = Config.fromfile(
        str(CONFIGS / '_base_' / 'models' / 'defusionpp_vit-small-test.py'))
    cfg.default_scope = 'defusion'
    with pytest.warns(UserWarning, match='no checkpoint'):
        return init_fuser(cfg), cfg


def rand(shape, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    if dtype == np.float32:
        return rng.random(shape, dtype=np.float32)
    return rng.integers(0, np.iinfo(dtype).max + 1, shape, dtype=dtype)


def test_init_fuser_from_config_file_and_errors(tmp_path):
    model = init_fuser(str(CONFIGS / 'fusion' / 'gff_tno25.py'), 'none')
    assert type(model).__name__ == 'GuidedFilterFusion'
    assert model.r1 == 45 and not model.training
    with pytest.raises(FileNotFoundError, match='missing_cfg.py'):
        init_fuser(str(tmp_path / 'missing_cfg.py'))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        init_fuser(str(CONFIGS / 'fusion' / 'gff_tno25.py'),
                   str(tmp_path / 'nope.pth'))
    with pytest.raises(TypeError, match='config'):
        init_fuser(42)


def test_init_fuser_loads_checkpoint(tmp_path):
    model, cfg = small_defusion()
    state = {k: torch.full_like(v, 0.125)
             for k, v in model.state_dict().items()}
    ckpt = tmp_path / 'tiny.pth'
    save_checkpoint({'state_dict': state}, str(ckpt))
    loaded = init_fuser(cfg, str(ckpt))
    for value in loaded.state_dict().values():
        if value.is_floating_point():
            assert torch.all(value == 0.125)


def test_fuse_inputs_of_all_kinds(tmp_path):
    model = baseline()
    grey8 = rand((20, 30), 1, np.uint8)
    grey16 = rand((20, 30), 2, np.uint16)
    colour = rand((20, 30, 3), 3)
    out = fuse(model, grey8, grey16)
    assert out.shape == (20, 30) and out.dtype == np.float32
    np.testing.assert_allclose(
        out, (grey8 / 255. + grey16 / 65535.) / 2, atol=1e-5)
    # Paths work too, with different extensions.
    cv2.imwrite(str(tmp_path / 'a.png'), grey8)
    cv2.imwrite(str(tmp_path / 'b.png'), grey16)
    out_files = fuse(model, str(tmp_path / 'a.png'), tmp_path / 'b.png')
    np.testing.assert_allclose(out_files, out, atol=1e-6)
    # IVF preset: luminance fused, chroma of the colour source restored.
    out = fuse(model, grey8, colour, colour_mode='ivf')
    assert out.shape == (20, 30, 3)
    src = rgb_to_ycbcr(torch.from_numpy(colour).permute(2, 0, 1))
    got = rgb_to_ycbcr(torch.from_numpy(out).permute(2, 0, 1))
    expect_y = (torch.from_numpy(grey8 / 255.).float() + src[0]) / 2
    inside = ((out > 0.01) & (out < 0.99)).all(-1)  # not clipped
    torch.testing.assert_close(got[0][inside], expect_y[inside], atol=1e-4,
                               rtol=0)
    torch.testing.assert_close(got[1:][:, inside], src[1:][:, inside],
                               atol=1e-4, rtol=0)
    # MEF preset: RGB fusion.
    other = rand((20, 30, 3), 4)
    np.testing.assert_allclose(
        fuse(model, colour, other, colour_mode='mef'), (colour + other) / 2,
        atol=1e-6)


def test_more_than_two_sources_fuse_sequentially():
    model = baseline()
    a, b, c = rand((8, 9, 3), 5), rand((8, 9, 3), 6), rand((8, 9, 3), 7)
    out = fuse(model, a, b, c, colour_mode='rgb')
    np.testing.assert_allclose(out, ((a + b) / 2 + c) / 2, atol=1e-6)


def test_fuse_errors():
    model = baseline()
    with pytest.raises(ValueError, match='size mismatch.*img_b'):
        fuse(model, rand((8, 9)), rand((8, 10)))
    with pytest.raises(ValueError, match=r'\[0, 1\]'):
        fuse(model, rand((8, 9)) * 3, rand((8, 9)))
    with pytest.raises(TypeError, match='int32'):
        fuse(model, np.zeros((8, 9), np.int32), rand((8, 9)))
    with pytest.raises(ValueError, match='colour mode'):
        fuse(model, rand((8, 9)), rand((8, 9)), colour_mode='hdr')
    with pytest.raises(TypeError, match='two file paths or two arrays'):
        fuse(model, 'a.png', rand((8, 9)))
    with pytest.raises(FileNotFoundError, match='no_such.png'):
        fuse(model, 'no_such.png', 'b.png')
    with pytest.raises(ValueError, match='shape'):
        fuse(model, rand((8, 9, 5)), rand((8, 9)))


def test_fuse_tiled_blending_is_exact_for_pointwise_functions():
    inputs = torch.rand(1, 2, 3, 150, 200)

    def fn(x):
        return dict(fused=0.3 * x[:, 0] + 0.7 * x[:, 1])

    out = fuse_tiled(fn, inputs, tile_size=64, tile_overlap=32)['fused']
    torch.testing.assert_close(out, fn(inputs)['fused'], atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match='tile_size > 0'):
        fuse_tiled(fn, inputs, tile_size=0)
    with pytest.raises(ValueError, match='tile_overlap'):
        fuse_tiled(fn, inputs, tile_size=64, tile_overlap=64)


@pytest.mark.parametrize('name,max_tol,mean_tol',
                         [('MaxAbsFusion', 0.02, 1e-3),
                          ('GuidedFilterFusion', 0.05, 2e-3)])
def test_tiled_and_untiled_agree_for_baselines(name, max_tol, mean_tol):
    model = baseline(name)
    yy, xx = np.mgrid[0:160, 0:200] / 30.
    a = (0.5 + 0.3 * np.sin(xx) * np.cos(yy)).astype(np.float32)
    b = rand((160, 200, 3), 8) * 0.2 + 0.4
    untiled = fuse(model, a, b, tile_size=0)
    tiled = fuse(model, a, b, tile_size=112, tile_overlap=48)
    diff = np.abs(untiled - tiled)
    assert diff.max() < max_tol and diff.mean() < mean_tol


def test_automatic_tiling_threshold(monkeypatch):
    model = baseline()
    calls = []
    original = model._fuse_padded
    monkeypatch.setattr(model, '_fuse_padded',
                        lambda x: calls.append(x.shape) or original(x))
    a, b = rand((100, 100)), rand((100, 100), 1)
    fuse(model, a, b)
    assert len(calls) == 1  # below the default threshold: one pass
    calls.clear()
    out = fuse(model, a, b, tile_threshold=50 * 50, tile_overlap=32)
    assert len(calls) == 1 and calls[0][-1] == 100  # 512 tile > image
    calls.clear()
    out = fuse(model, a, b, tile_size=64, tile_overlap=32)
    assert len(calls) == 9 and all(c[-1] == 64 for c in calls)  # 0,32,36
    np.testing.assert_allclose(out, (a + b) / 2, atol=1e-6)


def test_defusion_small_test_components_and_tiling():
    model, _ = small_defusion()
    a, b = rand((32, 40)), rand((32, 40, 3), 9)
    fused, comps = fuse(model, a, b, return_components=True, tile_size=0)
    assert fused.shape == (32, 40, 3)
    assert 0 <= fused.min() and fused.max() <= 1
    assert sorted(comps) == ['common', 'unique_a', 'unique_b']
    assert comps['common'].shape == (32, 40, 3)
    # Several tiles: right shape and range. (A randomly initialised
    # transformer with global attention gives context-dependent outputs, so
    # tiles of it do not match the untiled result; see the baselines test
    # for the agreement check.)
    tiled, tiled_comps = fuse(model, a, b, return_components=True,
                              tile_size=32, tile_overlap=16)  # 2 tiles
    assert tiled.shape == fused.shape
    assert tiled_comps['unique_b'].shape == (32, 40, 3)
    assert 0 <= tiled.min() and tiled.max() <= 1


def test_shift_step_averages_the_shifted_fusions():
    """With shift_step=8 a patch model's output is the mean of its outputs
    for the four shifted inputs; fuse(shift_step=) overrides test_cfg for
    one call only."""
    model, _ = small_defusion()
    assert model.size_divisor == 16 and model.test_cfg['shift_step'] == 0
    inputs = torch.rand(1, 2, 3, 32, 48)
    passes = []
    with torch.no_grad():
        for dy in (0, 8):
            for dx in (0, 8):
                # top/left shift, then bottom/right to a multiple of 16
                shifted = torch.nn.functional.pad(
                    inputs[0], (dx, dx, dy, dy), mode='reflect')[None]
                out = model.fuse_images(shifted)['fused']
                passes.append(out[..., dy:dy + 32, dx:dx + 48])
        model.test_cfg['shift_step'] = 8
        averaged = model._fuse_padded(inputs)['fused']
        model.test_cfg['shift_step'] = 0
    expected = torch.stack(passes).mean(0).clamp(0, 1)
    assert torch.allclose(averaged, expected, atol=1e-5)
    assert not torch.allclose(averaged, passes[0].clamp(0, 1), atol=1e-3)

    a, b = rand((32, 48)), rand((32, 48), 5)
    single = fuse(model, a, b, tile_size=0)
    shifted = fuse(model, a, b, tile_size=0, shift_step=8)
    assert model.test_cfg['shift_step'] == 0
    assert shifted.shape == single.shape
    assert not np.allclose(shifted, single, atol=1e-3)
