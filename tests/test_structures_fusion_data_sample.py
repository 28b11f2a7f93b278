import pytest
import torch

from defusion.structures import FusionDataSample


def test_fields_and_metainfo():
    sample = FusionDataSample(metainfo=dict(ori_shape=(4, 5), img_path='x'))
    sample.gt_clean = torch.rand(3, 4, 5)
    sample.pred_fused = torch.rand(1, 4, 5)
    assert set(sample.keys()) == {'gt_clean', 'pred_fused'}
    assert sample.gt_clean.shape == (3, 4, 5)
    assert sample.ori_shape == (4, 5)
    assert sample.get('gt_common') is None
    del sample.pred_fused
    assert 'pred_fused' not in sample
    moved = sample.to('cpu')
    assert torch.equal(moved.gt_clean, sample.gt_clean)


def test_bad_field_raises():
    sample = FusionDataSample()
    with pytest.raises(ValueError, match='gt_common'):
        sample.gt_common = torch.rand(4, 5)
    with pytest.raises(TypeError, match='pred_fused'):
        sample.pred_fused = [1, 2]
