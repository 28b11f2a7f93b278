"""LoadVisIRPair, VisibleOnly and mmdet/mmseg geometric transforms on
6-channel VIS+IR images."""
import copy

import cv2
import numpy as np
import pytest

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

from mmengine.registry import DefaultScope  # noqa: E402

from defusion.downstream import LoadVisIRPair, VisibleOnly  # noqa: E402

NAME = '00004N'


@pytest.fixture(scope='module')
def msrs(shared_data):
    return shared_data / 'detection' / 'msrs361'


def pair_info(msrs, name=NAME):
    return dict(
        img_path=str(msrs / 'vi' / f'{name}.jpg'),
        ir_path=str(msrs / 'ir' / f'{name}.png'))


def build(scope, cfg):
    if scope == 'mmdet':
        from mmdet.registry import TRANSFORMS
    else:
        from mmseg.registry import TRANSFORMS
    with DefaultScope.overwrite_default_scope(scope):
        return TRANSFORMS.build(cfg)


def test_load_pair_layout(msrs):
    results = LoadVisIRPair()(pair_info(msrs))
    img = results['img']
    assert img.shape == (480, 640, 6) and img.dtype == np.uint8
    assert results['img_shape'] == (480, 640)
    assert results['ori_shape'] == (480, 640)
    vis = cv2.cvtColor(
        cv2.imread(str(msrs / 'vi' / f'{NAME}.jpg')), cv2.COLOR_BGR2RGB)
    ir = cv2.imread(str(msrs / 'ir' / f'{NAME}.png'), cv2.IMREAD_GRAYSCALE)
    np.testing.assert_array_equal(img[..., :3], vis)
    for c in range(3, 6):
        np.testing.assert_array_equal(img[..., c], ir)
    as_float = LoadVisIRPair(to_float32=True)(pair_info(msrs))['img']
    assert as_float.dtype == np.float32
    np.testing.assert_array_equal(as_float, img.astype(np.float32))


def test_load_pair_errors(msrs, tmp_path):
    info = pair_info(msrs)
    info['ir_path'] = str(tmp_path / 'missing.png')
    with pytest.raises(FileNotFoundError, match='infrared.*00004N.*missing'):
        LoadVisIRPair()(info)
    with pytest.raises(ValueError, match='ir_path'):
        LoadVisIRPair()(dict(img_path=pair_info(msrs)['img_path']))
    small = tmp_path / 'small.png'
    cv2.imwrite(str(small), np.zeros((24, 32), np.uint8))
    info = pair_info(msrs)
    info['ir_path'] = str(small)
    with pytest.raises(ValueError, match='00004N.*size'):
        LoadVisIRPair()(info)
    with pytest.raises(ValueError, match='ir_mode'):
        LoadVisIRPair(ir_mode='rgb')


def coded_image(h=60, w=80):
    """6 channels whose IR half equals the visible half; values encode the
    pixel position, so any geometric change shows in both halves."""
    yy, xx = np.mgrid[:h, :w]
    half = np.stack([yy * 4 % 256, xx * 3 % 256, (yy + xx) % 256], -1)
    return np.concatenate([half, half], -1).astype(np.uint8)


def check_halves(img, channels=6):
    assert img.ndim == 3 and img.shape[2] == channels
    np.testing.assert_array_equal(img[..., :3], img[..., 3:])


def test_mmdet_geometric_transforms_on_six_channels():
    img = coded_image()
    results = dict(
        img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2],
        gt_bboxes=None)
    from mmdet.structures.bbox import HorizontalBoxes
    results['gt_bboxes'] = HorizontalBoxes(
        np.array([[10., 5., 30., 25.]], np.float32))
    results['gt_bboxes_labels'] = np.array([0])
    results['gt_ignore_flags'] = np.array([False])

    resize = build('mmdet', dict(type='Resize', scale=(40, 30),
                                 keep_ratio=True))
    out = resize(copy.deepcopy(results))
    check_halves(out['img'])
    assert out['img'].shape == (30, 40, 6)
    np.testing.assert_array_equal(
        out['img'][..., 3:],
        cv2.resize(img[..., 3:], (40, 30), interpolation=cv2.INTER_LINEAR))
    np.testing.assert_allclose(out['gt_bboxes'].numpy(),
                               [[5., 2.5, 15., 12.5]])

    flip = build('mmdet', dict(type='RandomFlip', prob=1.0))
    out = flip(copy.deepcopy(results))
    check_halves(out['img'])
    np.testing.assert_array_equal(out['img'], img[:, ::-1])

    # mmdet's crop_size is (w, h); a crop that misses the box would return
    # None without allow_negative_crop, so the test would depend on chance.
    crop = build('mmdet', dict(type='RandomCrop', crop_size=(48, 32),
                               allow_negative_crop=True))
    out = crop(copy.deepcopy(results))
    check_halves(out['img'])
    assert out['img'].shape == (32, 48, 6)

    # mmcv turns an int pad value into one value per channel, which
    # OpenCV refuses beyond 4 channels; a float 0 pads all 6 channels.
    pad = build('mmdet', dict(type='Pad', size_divisor=32,
                              pad_val=dict(img=0.)))
    out = pad(copy.deepcopy(results))
    check_halves(out['img'])
    assert out['img'].shape == (64, 96, 6)
    assert (out['img'][60:] == 0).all() and (out['img'][:, 80:] == 0).all()
    np.testing.assert_array_equal(out['img'][:60, :80], img)


def test_mmseg_geometric_transforms_on_six_channels():
    img = coded_image()
    seg = (np.arange(60 * 80).reshape(60, 80) % 9).astype(np.uint8)
    results = dict(img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2],
                   gt_seg_map=seg, seg_fields=['gt_seg_map'])
    pipeline = [
        dict(type='RandomResize', scale=(80, 60), ratio_range=(0.8, 1.2),
             keep_ratio=True),
        dict(type='RandomCrop', crop_size=(40, 40), cat_max_ratio=0.9),
        dict(type='RandomFlip', prob=1.0),
    ]
    for cfg in pipeline:
        results = build('mmseg', cfg)(results)
        check_halves(results['img'])
        assert results['img'].shape[:2] == results['gt_seg_map'].shape
    assert results['img'].shape == (40, 40, 6)


def test_visible_only_photometric(msrs):
    results = LoadVisIRPair()(pair_info(msrs))
    ir = results['img'][..., 3:].copy()
    vis = results['img'][..., :3].copy()
    wrapper = build(
        'mmdet',
        dict(type='defusion.VisibleOnly',
             transforms=[dict(type='PhotoMetricDistortion')]))
    assert isinstance(wrapper, VisibleOnly)
    np.random.seed(3)
    out = wrapper(copy.deepcopy(results))['img']
    assert out.shape == (480, 640, 6) and out.dtype == np.float32
    np.testing.assert_array_equal(out[..., 3:], ir.astype(np.float32))
    assert np.abs(out[..., :3] - vis).max() > 0
    # same as the bare transform on the BGR visible image
    np.random.seed(3)
    bare = build('mmdet', dict(type='PhotoMetricDistortion'))(
        dict(img=np.ascontiguousarray(vis[..., ::-1])))['img']
    np.testing.assert_allclose(out[..., :3], bare[..., ::-1])


def test_visible_only_errors():
    wrapper = build(
        'mmdet',
        dict(type='defusion.VisibleOnly',
             transforms=[dict(type='Resize', scale=(8, 8))]))
    with pytest.raises(ValueError, match='size'):
        wrapper(dict(img=coded_image(), img_path='x.jpg'))
    with pytest.raises(ValueError, match='LoadVisIRPair'):
        wrapper(dict(img=np.zeros((8, 8, 3), np.uint8), img_path='x.jpg'))
    with pytest.raises(TypeError, match='transforms'):
        VisibleOnly(transforms=[])
