"""MSRSDetDataset (shared MSRS-361 data) and MSRS / FMB segmentation
datasets (generated samples in the public layouts)."""
import cv2
import numpy as np
import pytest

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

from mmengine.registry import DefaultScope  # noqa: E402

from defusion.downstream import (FMBSegDataset, MSRSDetDataset,  # noqa: E402
                                 MSRSSegDataset)


@pytest.fixture(scope='module')
def msrs(shared_data):
    return shared_data / 'detection' / 'msrs361'


def det_dataset(root, split='train', **kwargs):
    return MSRSDetDataset(
        data_root=str(root), ann_file=f'splits/{split}.txt', **kwargs)


def test_msrs_det_split_sizes_and_infos(msrs):
    train, val = det_dataset(msrs), det_dataset(msrs, 'val', test_mode=True)
    assert len(train) == 290 and len(val) == 71
    assert train.metainfo['classes'] == ('person', 'bicycle', 'car')
    names = [ln.strip() for ln in open(msrs / 'splits' / 'val.txt')]
    info = val.get_data_info(0)
    assert info['img_path'].endswith(f'vi/{names[0]}.jpg')
    assert info['ir_path'].endswith(f'ir/{names[0]}.png')
    assert (info['width'], info['height'], info['img_id']) == (640, 480, 0)
    for i in range(len(val)):
        for inst in val.get_data_info(i)['instances']:
            x1, y1, x2, y2 = inst['bbox']
            assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 480
            assert inst['bbox_label'] in (0, 1, 2)
            assert inst['ignore_flag'] == 0


def test_msrs_det_yolo_conversion_and_label_folder(msrs):
    val = det_dataset(msrs, 'val', test_mode=True)
    name = open(msrs / 'splits' / 'val.txt').readline().strip()
    # default label folder is labels_fused
    lines = [ln.split() for ln in open(msrs / 'labels_fused' / f'{name}.txt')
             if ln.strip()]
    instances = val.get_data_info(0)['instances']
    assert len(instances) == len(lines) > 0
    c, cx, cy, w, h = lines[0]
    expected = [(float(cx) - float(w) / 2) * 640,
                (float(cy) - float(h) / 2) * 480,
                (float(cx) + float(w) / 2) * 640,
                (float(cy) + float(h) / 2) * 480]
    np.testing.assert_allclose(
        instances[0]['bbox'], np.clip(expected, 0, [640, 480, 640, 480]),
        atol=1e-4)
    assert instances[0]['bbox_label'] == int(c)
    total = {}
    for folder in ('labels_fused', 'labels_vi'):
        n = 0
        for split in ('train', 'val'):
            ds = det_dataset(msrs, split, test_mode=True,
                             data_prefix=dict(img='vi', ir='ir', label=folder))
            n += sum(len(ds.get_data_info(i)['instances'])
                     for i in range(len(ds)))
        total[folder] = n
    assert total == {'labels_fused': 1481, 'labels_vi': 1002}


def test_msrs_det_filter_empty(msrs):
    kept = det_dataset(
        msrs, data_prefix=dict(img='vi', ir='ir', label='labels_vi'),
        filter_cfg=dict(filter_empty_gt=True))
    full = det_dataset(msrs, data_prefix=dict(
        img='vi', ir='ir', label='labels_vi'))
    assert 0 < len(kept) < len(full)
    assert all(kept.get_data_info(i)['instances'] for i in range(len(kept)))


def write_det_sample(root, name, size=(48, 64), ir_size=None, label=None):
    for d in ('vi', 'ir', 'labels', 'splits'):
        (root / d).mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / 'vi' / f'{name}.jpg'),
                np.full((*size, 3), 100, np.uint8))
    cv2.imwrite(str(root / 'ir' / f'{name}.png'),
                np.full(ir_size or size, 50, np.uint8))
    if label is not None:
        (root / 'labels' / f'{name}.txt').write_text(label)


def test_msrs_det_errors(tmp_path):
    prefix = dict(img='vi', ir='ir', label='labels')
    write_det_sample(tmp_path, 'a', label='0 0.5 0.5 0.2 0.2\n')
    (tmp_path / 'splits' / 'one.txt').write_text('a\n')
    ds = MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/one.txt',
                        data_prefix=prefix)
    np.testing.assert_allclose(ds.get_data_info(0)['instances'][0]['bbox'],
                               [25.6, 19.2, 38.4, 28.8], atol=1e-4)
    with pytest.raises(FileNotFoundError, match='split file'):
        MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/no.txt',
                       data_prefix=prefix)
    (tmp_path / 'splits' / 'two.txt').write_text('a\nb\n')
    with pytest.raises(FileNotFoundError, match='visible.*"b"'):
        MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/two.txt',
                       data_prefix=prefix)
    write_det_sample(tmp_path, 'b', ir_size=(40, 64))
    with pytest.raises(ValueError, match='"b".*size'):
        MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/two.txt',
                       data_prefix=prefix)
    write_det_sample(tmp_path, 'b', label='0 0.5 0.5\n')
    with pytest.raises(ValueError, match=r'b\.txt:1'):
        MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/two.txt',
                       data_prefix=prefix)
    write_det_sample(tmp_path, 'b', label='7 0.5 0.5 0.1 0.1\n')
    with pytest.raises(ValueError, match='class 7'):
        MSRSDetDataset(data_root=str(tmp_path), ann_file='splits/two.txt',
                       data_prefix=prefix)


def write_seg_split(root, vis_dir, ir_dir, label_dir, names, num_labels):
    rng = np.random.default_rng(0)
    for d in (vis_dir, ir_dir, label_dir):
        (root / d).mkdir(parents=True, exist_ok=True)
    for name in names:
        cv2.imwrite(str(root / vis_dir / f'{name}.png'),
                    rng.integers(0, 255, (64, 64, 3), dtype=np.uint8))
        cv2.imwrite(str(root / ir_dir / f'{name}.png'),
                    rng.integers(0, 255, (64, 64), dtype=np.uint8))
        label = np.arange(64 * 64).reshape(64, 64) % num_labels
        cv2.imwrite(str(root / label_dir / f'{name}.png'),
                    label.astype(np.uint8))


def seg_pipeline():
    return [
        dict(type='defusion.LoadVisIRPair'),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs'),
    ]


def test_msrs_seg_dataset(tmp_path):
    write_seg_split(tmp_path, 'train/vi', 'train/ir',
                    'train/Segmentation_labels', ['00001D', '00002N'], 9)
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = MSRSSegDataset(
            data_root=str(tmp_path),
            data_prefix=dict(img_path='train/vi', ir_path='train/ir',
                             seg_map_path='train/Segmentation_labels'),
            pipeline=seg_pipeline())
        assert len(ds) == 2
        assert len(ds.metainfo['classes']) == 9
        assert ds.metainfo['classes'][0] == 'background'
        assert len(ds.metainfo['palette']) == 9
        info = ds.get_data_info(0)
        assert info['ir_path'].endswith('train/ir/00001D.png')
        sample = ds[0]
    assert tuple(sample['inputs'].shape) == (6, 64, 64)
    seg = sample['data_samples'].gt_sem_seg.data
    assert seg.max().item() == 8 and seg.min().item() == 0


def test_fmb_seg_dataset_reduces_zero_label(tmp_path):
    write_seg_split(tmp_path, 'test/Visible', 'test/Infrared', 'test/Label',
                    ['0001'], 15)
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = FMBSegDataset(
            data_root=str(tmp_path),
            data_prefix=dict(img_path='test/Visible',
                             ir_path='test/Infrared',
                             seg_map_path='test/Label'),
            pipeline=seg_pipeline())
        assert len(ds.metainfo['classes']) == 14
        assert ds.metainfo['classes'][0] == 'road'
        seg = ds[0]['data_samples'].gt_sem_seg.data[0]
    raw = np.arange(64 * 64).reshape(64, 64) % 15
    assert (seg.numpy()[raw == 0] == 255).all()
    np.testing.assert_array_equal(seg.numpy()[raw > 0], raw[raw > 0] - 1)


def test_seg_dataset_errors(tmp_path):
    write_seg_split(tmp_path, 'train/vi', 'train/ir',
                    'train/Segmentation_labels', ['a'], 9)
    prefix = dict(img_path='train/vi', ir_path='train/ir',
                  seg_map_path='train/Segmentation_labels')
    (tmp_path / 'train/ir/a.png').unlink()
    with pytest.raises(FileNotFoundError, match='infrared.*"a"'):
        MSRSSegDataset(data_root=str(tmp_path), data_prefix=prefix)
    with pytest.raises(FileNotFoundError, match='ir_path folder'):
        MSRSSegDataset(data_root=str(tmp_path), data_prefix=dict(
            prefix, ir_path='train/nothing'))
