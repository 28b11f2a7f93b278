"""Tests of FusionDataPreprocessor."""
import pytest
import torch

from defusion.models import FusionDataPreprocessor
from defusion.registry import MODELS
from defusion.structures import FusionDataSample

MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def batch(num=3, size=(8, 10)):
    inputs = [torch.rand(2, 3, *size) for _ in range(num)]
    samples = []
    for _ in range(num):
        sample = FusionDataSample(metainfo=dict(img_path='x.jpg'))
        sample.gt_clean = torch.rand(3, *size)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_stack_and_normalise_values():
    preprocessor = MODELS.build(
        dict(type='FusionDataPreprocessor', mean=MEAN, std=STD))
    data = batch()
    out = preprocessor(data)
    inputs = out['inputs']
    assert inputs.shape == (3, 2, 3, 8, 10) and inputs.dtype == torch.float32
    for channel in range(3):
        expected = (data['inputs'][1][0, channel] * 255 - MEAN[channel]) / \
            STD[channel]
        torch.testing.assert_close(inputs[1, 0, channel], expected)
    # a mid-grey pixel: (127.5 - 123.675) / 58.395
    grey = preprocessor(dict(inputs=[torch.full((2, 3, 2, 2), 0.5)]))
    assert grey['inputs'][0, 0, 0, 0, 0].item() == pytest.approx(
        0.065502, abs=1e-5)
    torch.testing.assert_close(
        preprocessor.denormalize(inputs), torch.stack(data['inputs']))
    # ground truth is untouched
    assert out['data_samples'][0].gt_clean is data['data_samples'][0].gt_clean


def test_no_normalisation_and_tensor_input():
    preprocessor = FusionDataPreprocessor()
    inputs = torch.rand(2, 2, 3, 4, 4)
    out = preprocessor(dict(inputs=inputs, data_samples=None))
    torch.testing.assert_close(out['inputs'], inputs)
    out = preprocessor(dict(inputs=list(inputs)))
    torch.testing.assert_close(out['inputs'], inputs)
    assert out['data_samples'] is None


def test_mismatched_sizes_error_names_sizes():
    data = batch(2)
    data['inputs'][1] = torch.rand(2, 3, 12, 10)
    with pytest.raises(ValueError, match=r'\(2, 3, 8, 10\).*\(2, 3, 12, 10\)'):
        FusionDataPreprocessor()(data)


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='mean and std'):
        FusionDataPreprocessor(mean=MEAN)
    with pytest.raises(ValueError, match='same'):
        FusionDataPreprocessor(mean=MEAN, std=STD[:2])
    with pytest.raises(ValueError, match='positive'):
        FusionDataPreprocessor(mean=MEAN, std=(1, 0, 1))
    preprocessor = FusionDataPreprocessor(mean=MEAN, std=STD)
    with pytest.raises(ValueError, match='1 channels'):
        preprocessor(dict(inputs=[torch.rand(2, 1, 4, 4)]))
    with pytest.raises(TypeError, match='float'):
        preprocessor(
            dict(inputs=[torch.zeros(2, 3, 4, 4, dtype=torch.uint8)]))
    with pytest.raises(TypeError, match=r'\(S, C, H, W\)'):
        preprocessor(dict(inputs=[torch.rand(3, 4, 4)]))
    with pytest.raises(ValueError, match=r'\(N, S, C, H, W\)'):
        preprocessor(dict(inputs=torch.rand(2, 3, 4, 4)))


def test_buffers_follow_the_module():
    preprocessor = FusionDataPreprocessor(mean=MEAN, std=STD)
    assert preprocessor.mean.shape == (3, 1, 1)
    assert 'mean' not in preprocessor.state_dict()
    preprocessor = preprocessor.to(torch.float64)
    assert preprocessor.mean.dtype == torch.float64
