"""Tests of NaturalImageDataset: folder scan, errors, unreadable files."""
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from defusion.datasets import NaturalImageDataset
from defusion.datasets.transforms import (LoadNaturalImage, PackPretextInputs,
                                          SynthesizePretextPair)

PRETRAIN_DIR = Path(__file__).resolve().parents[1].parent / 'shared' / \
    'data' / 'pretrain'


def write_image(path, size=(20, 24), seed=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, size + (3, ), dtype=np.uint8)).save(
        path, format='PNG' if path.suffix.lower() == '.png' else None)
    return path


def pipeline(crop_size=16):
    return [
        LoadNaturalImage(),
        SynthesizePretextPair(crop_size=crop_size, seed=0),
        PackPretextInputs(),
    ]


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / 'photos'
    write_image(root / 'b.jpg')
    write_image(root / 'a.PNG')
    write_image(root / 'sub' / 'deeper' / 'c.JpEg')
    write_image(root / 'sub' / 'd.bmp')
    write_image(root / 'sub' / 'e.tif')
    (root / 'notes.txt').write_text('not an image')
    write_image(root / '.hidden.jpg')
    (root / 'empty').mkdir()
    return root


def test_recursive_scan_extension_filter_sorted(tree):
    dataset = NaturalImageDataset(data_prefix=str(tree))
    names = [os.path.relpath(dataset.get_data_info(i)['img_path'], tree)
             for i in range(len(dataset))]
    assert names == ['a.PNG', 'b.jpg', 'sub/d.bmp', 'sub/deeper/c.JpEg',
                     'sub/e.tif']
    assert dataset.get_data_info(2)['sample_idx'] == 2


def test_data_root_with_several_prefixes(tree):
    dataset = NaturalImageDataset(
        data_root=str(tree), data_prefix=['sub', 'empty', ''])
    names = [os.path.relpath(dataset.get_data_info(i)['img_path'], tree)
             for i in range(len(dataset))]
    assert names[:3] == ['sub/d.bmp', 'sub/deeper/c.JpEg', 'sub/e.tif']
    assert len(names) == 8  # the root scan lists sub/ again
    same = NaturalImageDataset(
        data_root=str(tree), data_prefix=dict(img_path=['sub']))
    assert len(same) == 3


def test_missing_and_empty_folders(tree, tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere'):
        NaturalImageDataset(data_prefix=str(tmp_path / 'nowhere'))
    with pytest.raises(ValueError, match='no images.*empty'):
        NaturalImageDataset(data_root=str(tree), data_prefix='empty')
    with pytest.raises(ValueError, match='no images'):
        NaturalImageDataset(
            data_root=str(tree), data_prefix=['empty', 'empty'])
    with pytest.raises(TypeError, match='data_prefix'):
        NaturalImageDataset(data_prefix=[])


def test_ann_file(tree, tmp_path):
    ann = tmp_path / 'list.txt'
    ann.write_text('# chosen photos\nsub/d.bmp\n\nb.jpg\n')
    dataset = NaturalImageDataset(
        data_root=str(tree), data_prefix='', ann_file=str(ann))
    assert [Path(dataset.get_data_info(i)['img_path']).name
            for i in range(len(dataset))] == ['d.bmp', 'b.jpg']
    with pytest.raises(FileNotFoundError, match='absent.txt'):
        NaturalImageDataset(
            data_prefix=str(tree), ann_file=str(tmp_path / 'absent.txt'))
    with pytest.raises(ValueError, match='one image folder'):
        NaturalImageDataset(
            data_prefix=[str(tree), str(tree)], ann_file=str(ann))


def test_pipeline_output(tree):
    dataset = NaturalImageDataset(data_prefix=str(tree), pipeline=pipeline())
    item = dataset[1]
    assert item['inputs'].shape == (2, 3, 16, 16)
    assert item['data_samples'].img_path.endswith('b.jpg')


@pytest.mark.parametrize('test_mode', [False, True])
def test_corrupt_file_warns_once_and_is_replaced(tmp_path, test_mode):
    root = tmp_path / 'mixed'
    for index in range(3):
        write_image(root / f'ok_{index}.png', seed=index)
    (root / 'ok_1x_corrupt.jpg').write_bytes(
        np.random.default_rng(0).bytes(300))
    dataset = NaturalImageDataset(
        data_prefix=str(root), pipeline=pipeline(), test_mode=test_mode)
    bad_index = [Path(dataset.get_data_info(i)['img_path']).name
                 for i in range(len(dataset))].index('ok_1x_corrupt.jpg')
    with pytest.warns(UserWarning, match='ok_1x_corrupt.jpg') as record:
        item = dataset[bad_index]
    assert len([w for w in record if 'corrupt' in str(w.message)]) == 1
    assert not item['data_samples'].img_path.endswith('corrupt.jpg')
    if test_mode:  # the next readable image, so validation is repeatable
        assert item['data_samples'].img_path.endswith('ok_2.png')
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # no second warning for the file
        again = dataset[bad_index]
    assert not again['data_samples'].img_path.endswith('corrupt.jpg')


def test_all_files_broken_gives_clear_error(tmp_path):
    root = tmp_path / 'broken'
    root.mkdir()
    for index in range(3):
        (root / f'x{index}.jpg').write_bytes(b'not a jpeg at all')
    dataset = NaturalImageDataset(data_prefix=str(root), pipeline=pipeline())
    with pytest.warns(UserWarning):
        with pytest.raises(RuntimeError, match='all 3 images are unreadable'):
            dataset[0]


def test_tiny_image_error_names_file(tmp_path):
    root = tmp_path / 'tiny'
    write_image(root / 'speck.png', size=(8, 30))
    dataset = NaturalImageDataset(data_prefix=str(root), pipeline=pipeline())
    with pytest.raises(ValueError, match='speck.png'):
        dataset[0]


@pytest.mark.skipif(not PRETRAIN_DIR.is_dir(), reason='shared data not found')
def test_shared_pretrain_folders():
    dataset = NaturalImageDataset(
        data_root=str(PRETRAIN_DIR), data_prefix='val', indices=3,
        pipeline=pipeline(crop_size=32), test_mode=True)
    assert len(dataset) == 3
    for index in range(3):
        item = dataset[index]
        assert item['inputs'].shape == (2, 3, 32, 32)
        assert Path(item['data_samples'].img_path).parent.name == 'val'
    train = NaturalImageDataset(
        data_root=str(PRETRAIN_DIR), data_prefix=['coco', 'imagenet'],
        lazy_init=True)
    train.full_init()
    assert len(train) >= 300
