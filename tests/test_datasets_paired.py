"""PairedImageDataset, LoadImagePair, PackFusionPair and colour handling."""
import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from defusion.datasets import PairedImageDataset, pair_folders
from defusion.datasets.transforms import (LoadImagePair, PackFusionPair,
                                          read_image)
from defusion.datasets.transforms import load_image_pair as loading
from defusion.utils.colour import (restore_colour, rgb_to_ycbcr,
                                          ycbcr_to_rgb)

SHARED = Path(__file__).resolve().parents[1].parent / 'shared' / 'data'


def _write(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    if array.ndim == 3 and array.shape[2] >= 3:
        order = [2, 1, 0] + ([3] if array.shape[2] == 4 else [])
        array = array[..., order]
    assert cv2.imwrite(str(path), array)
    return path


def _pair_dirs(tmp_path, names_a, names_b, size=(12, 16)):
    rng = np.random.default_rng(0)
    for name in names_a:
        _write(tmp_path / 'ir' / name,
               rng.integers(0, 256, size, dtype=np.uint8))
    for name in names_b:
        _write(tmp_path / 'vi' / name,
               rng.integers(0, 256, (*size, 3), dtype=np.uint8))
    return tmp_path


def test_pairing_by_stem_with_different_extensions(tmp_path):
    _pair_dirs(tmp_path, ['x.png', 'y.png'], ['x.jpg', 'y.png'])
    pairs = pair_folders(str(tmp_path / 'ir'), str(tmp_path / 'vi'))
    assert [p['name'] for p in pairs] == ['x', 'y']
    assert pairs[0]['img_b_path'].endswith('x.jpg')
    ds = PairedImageDataset(str(tmp_path), 'ir', 'vi')
    assert len(ds) == 2
    assert ds.metainfo['sources'] == ('ir', 'vi')


def test_unpaired_names_are_listed(tmp_path):
    names = [f'{i:02d}.png' for i in range(8)]
    _pair_dirs(tmp_path, names + ['z_ir.png'], names[:1] + ['only_vi.png'])
    with pytest.raises(ValueError) as err:
        pair_folders(str(tmp_path / 'ir'), str(tmp_path / 'vi'))
    msg = str(err.value)
    assert 'unpaired' in msg and 'only_vi' in msg and '01, 02' in msg
    assert '8 only in' in msg and '(8 in all)' in msg
    assert '1 only in' in msg and 'z_ir' not in msg  # first 5 shown


def test_empty_missing_and_duplicate_folders(tmp_path):
    (tmp_path / 'ir').mkdir()
    _pair_dirs(tmp_path, [], ['a.png'])
    with pytest.raises(ValueError, match='no images'):
        pair_folders(str(tmp_path / 'ir'), str(tmp_path / 'vi'))
    with pytest.raises(FileNotFoundError, match='nope'):
        pair_folders(str(tmp_path / 'nope'), str(tmp_path / 'vi'))
    _pair_dirs(tmp_path, ['a.png', 'a.jpg'], [])
    with pytest.raises(ValueError, match="two images named 'a'"):
        pair_folders(str(tmp_path / 'ir'), str(tmp_path / 'vi'))


def test_split_file(tmp_path):
    _pair_dirs(tmp_path, ['a.png', 'b.png', 'c.png'],
               ['a.png', 'b.png', 'c.png'])
    (tmp_path / 'split.txt').write_text('c\na\n\n')
    ds = PairedImageDataset(str(tmp_path), 'ir', 'vi', ann_file='split.txt')
    assert [ds.get_data_info(i)['name'] for i in range(len(ds))] == ['c', 'a']
    (tmp_path / 'bad.txt').write_text('a\nzzz\n')
    with pytest.raises(ValueError, match='zzz'):
        PairedImageDataset(str(tmp_path), 'ir', 'vi', ann_file='bad.txt')


def test_read_image_conversions(tmp_path):
    grey16 = np.full((5, 7), 65535 // 5, np.uint16)
    image, notes = read_image(str(_write(tmp_path / 'g16.png', grey16)))
    assert image.shape == (5, 7, 1) and notes == ['16-bit']
    assert image.dtype == np.float32
    np.testing.assert_allclose(image, 0.2, atol=1e-6)
    rgba = np.zeros((5, 7, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[..., 3] = 10
    image, notes = read_image(str(_write(tmp_path / 'rgba.png', rgba)))
    assert image.shape == (5, 7, 3) and notes == ['alpha']
    np.testing.assert_allclose(image[0, 0], [1, 0, 0])  # RGB order kept


@pytest.mark.parametrize('ext', ['.png', '.jpg'])
def test_truncated_and_unreadable_files(tmp_path, ext):
    rng = np.random.default_rng(1)
    path = _write(tmp_path / f'full{ext}',
                  rng.integers(0, 256, (32, 32, 3), dtype=np.uint8))
    data = path.read_bytes()
    cut = tmp_path / f'cut{ext}'
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match=f'cut{ext}'):
        read_image(str(cut))
    text = tmp_path / f'text{ext}'
    text.write_text('not an image')
    with pytest.raises(ValueError, match='truncated or not an image'):
        read_image(str(text))
    with pytest.raises(FileNotFoundError, match='missing.png'):
        read_image(str(tmp_path / 'missing.png'))


def test_load_image_pair_size_mismatch_and_notes(tmp_path):
    a = _write(tmp_path / 'a.png', np.zeros((8, 8), np.uint8))
    b = _write(tmp_path / 'b.png', np.zeros((8, 9, 3), np.uint8))
    with pytest.raises(ValueError, match='size mismatch.*a.png.*b.png'):
        LoadImagePair()(dict(img_a_path=str(a), img_b_path=str(b)))
    c = _write(tmp_path / 'c.png', np.zeros((8, 8, 4), np.uint8))
    loading._NOTED.discard('alpha')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        out = LoadImagePair()(dict(img_a_path=str(a), img_b_path=str(c)))
        LoadImagePair()(dict(img_a_path=str(a), img_b_path=str(c)))
    assert sum('alpha' in str(w.message) for w in caught) == 1  # once
    assert out['img_a'].shape == (8, 8, 1) and out['img_b'].shape == (8, 8, 3)
    assert out['ori_shape'] == (8, 8)


def test_colour_round_trip():
    rgb = torch.rand(2, 3, 9, 11)
    ycbcr = rgb_to_ycbcr(rgb)
    torch.testing.assert_close(ycbcr_to_rgb(ycbcr), rgb, atol=1e-5, rtol=0)
    # Known values (BT.601 full range): white, pure red.
    px = rgb_to_ycbcr(torch.tensor([[1., 1., 1.], [1., 0., 0.]]).T[..., None])
    torch.testing.assert_close(px[:, 0, 0], torch.tensor([1., .5, .5]))
    torch.testing.assert_close(
        px[:, 1, 0], torch.tensor([0.299, 0.5 - 0.168736, 1.0]), atol=1e-5,
        rtol=0)
    with pytest.raises(ValueError, match='3, H, W'):
        rgb_to_ycbcr(torch.rand(2, 4, 4))


def _pack(img_a, img_b, mode):
    return PackFusionPair(colour_mode=mode)(
        dict(img_a=img_a, img_b=img_b, img_a_path='a.png', img_b_path='b.png'))


def test_pack_luminance_grey_and_colour():
    rng = np.random.default_rng(2)
    grey = rng.random((6, 5, 1), dtype=np.float32)
    colour = rng.random((6, 5, 3), dtype=np.float32)
    out = _pack(grey, colour, 'luminance')
    inputs, sample = out['inputs'], out['data_samples']
    assert inputs.shape == (2, 3, 6, 5) and inputs.dtype == torch.float32
    torch.testing.assert_close(inputs[0, 1], torch.from_numpy(grey[..., 0]))
    luma = rgb_to_ycbcr(torch.from_numpy(colour).permute(2, 0, 1))
    torch.testing.assert_close(inputs[1, 2], luma[0])
    assert sample.cbcr.shape == (2, 6, 5)
    assert sample.metainfo['colour_mode'] == 'luminance'
    assert sample.metainfo['img_b_path'] == 'b.png'
    assert sample.metainfo['ori_shape'] == (6, 5)
    # Restoring the colour source's own luminance gives the colour source.
    restored = restore_colour(inputs[1], sample)
    torch.testing.assert_close(
        restored, torch.from_numpy(colour).permute(2, 0, 1), atol=1e-5,
        rtol=0)


def test_pack_grey_pair_gives_grey_output_and_rgb_mode():
    rng = np.random.default_rng(3)
    grey_a = rng.random((4, 4, 1), dtype=np.float32)
    grey_b = rng.random((4, 4, 1), dtype=np.float32)
    for mode in ('luminance', 'rgb'):
        out = _pack(grey_a, grey_b, mode)
        assert 'cbcr' not in out['data_samples']
        fused = restore_colour(out['inputs'][0], out['data_samples'])
        assert fused.shape == (1, 4, 4)
        torch.testing.assert_close(fused[0], torch.from_numpy(grey_a[..., 0]))
    colour = rng.random((4, 4, 3), dtype=np.float32)
    out = _pack(colour, colour, 'rgb')
    torch.testing.assert_close(out['inputs'][0],
                               torch.from_numpy(colour).permute(2, 0, 1))
    assert restore_colour(out['inputs'][0], out['data_samples']).shape == \
        (3, 4, 4)
    with pytest.raises(ValueError, match='colour_mode'):
        PackFusionPair(colour_mode='ycbcr')


@pytest.mark.skipif(not SHARED.is_dir(), reason='shared data not found')
def test_shared_sets_pipeline():
    pipeline = [dict(type='LoadImagePair'),
                dict(type='PackFusionPair', colour_mode='luminance')]
    with DefaultScope.overwrite_default_scope('defusion'):
        ds = PairedImageDataset(
            str(SHARED / 'fusion' / 'med' / 'mri_pet'), 'mri', 'pet',
            pipeline=pipeline)
        assert len(ds) == 42
        item = ds[0]
        assert item['inputs'].shape == (2, 3, 256, 256)
        assert item['data_samples'].cbcr.shape == (2, 256, 256)
        # MSRS: ir/*.png paired with vi/*.jpg by name.
        msrs = PairedImageDataset(
            str(SHARED / 'detection' / 'msrs361'), 'ir', 'vi',
            ann_file='splits/val.txt')
        assert len(msrs) == 71
        info = msrs.get_data_info(0)
        assert info['img_a_path'].endswith('.png')
        assert info['img_b_path'].endswith('.jpg')
