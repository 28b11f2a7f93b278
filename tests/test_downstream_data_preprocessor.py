"""MultiChannelDetDataPreprocessor: 6-channel normalisation and padding;
mmseg's SegDataPreProcessor with 6-value mean / std."""
import pytest
import torch

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

from mmdet.structures import DetDataSample  # noqa: E402

from defusion.downstream import MultiChannelDetDataPreprocessor  # noqa: E402

MEAN = [123.675, 116.28, 103.53] * 2
STD = [58.395, 57.12, 57.375] * 2


def test_normalises_six_channels_and_pads():
    pre = MultiChannelDetDataPreprocessor(
        mean=MEAN, std=STD, bgr_to_rgb=False, pad_size_divisor=32)
    img = torch.randint(0, 256, (6, 40, 50), dtype=torch.uint8)
    sample = DetDataSample(metainfo=dict(img_shape=(40, 50)))
    out = pre(dict(inputs=[img], data_samples=[sample]), training=False)
    x = out['inputs']
    assert tuple(x.shape) == (1, 6, 64, 64)
    mean = torch.tensor(MEAN).view(6, 1, 1)
    std = torch.tensor(STD).view(6, 1, 1)
    torch.testing.assert_close(x[0, :, :40, :50], (img.float() - mean) / std)
    assert (x[0, :, 40:] == 0).all() and (x[0, :, :, 50:] == 0).all()
    assert out['data_samples'][0].batch_input_shape == (64, 64)


def test_errors():
    with pytest.raises(ValueError, match='bgr_to_rgb'):
        MultiChannelDetDataPreprocessor(mean=MEAN, std=STD, bgr_to_rgb=True)
    with pytest.raises(ValueError, match='both'):
        MultiChannelDetDataPreprocessor(mean=MEAN)
    with pytest.raises(ValueError, match='6 and 3'):
        MultiChannelDetDataPreprocessor(mean=MEAN, std=STD[:3])
    pre = MultiChannelDetDataPreprocessor(mean=MEAN, std=STD)
    with pytest.raises(ValueError, match='3 channels'):
        pre(dict(inputs=[torch.zeros(3, 8, 8, dtype=torch.uint8)],
                 data_samples=[DetDataSample()]))


def test_mmseg_preprocessor_accepts_six_values():
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS
    from mmseg.structures import SegDataSample
    with DefaultScope.overwrite_default_scope('mmseg'):
        pre = MODELS.build(
            dict(type='SegDataPreProcessor', mean=MEAN, std=STD,
                 bgr_to_rgb=False, pad_val=0, seg_pad_val=255,
                 size=(32, 32)))
    img = torch.randint(0, 256, (6, 24, 30), dtype=torch.uint8)
    sample = SegDataSample(metainfo=dict(img_shape=(24, 30)))
    out = pre(dict(inputs=[img], data_samples=[sample]), training=True)
    assert tuple(out['inputs'].shape) == (1, 6, 32, 32)
    mean = torch.tensor(MEAN).view(6, 1, 1)
    std = torch.tensor(STD).view(6, 1, 1)
    torch.testing.assert_close(out['inputs'][0, :, :24, :30],
                               (img.float() - mean) / std)
