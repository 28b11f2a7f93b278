import pytest
import torch

from defusion.models.algorithms import BaseFusionModel
from defusion.structures import FusionDataSample


class MeanFusion(BaseFusionModel):

    def fuse_images(self, inputs):
        assert inputs.shape[-2] % self.size_divisor == 0
        assert inputs.shape[-1] % self.size_divisor == 0
        return dict(fused=inputs.mean(1) * 2, common=inputs[:, 0])


def test_predict_pads_crops_and_clamps():
    model = MeanFusion(size_divisor=16)
    inputs = torch.rand(2, 2, 3, 20, 7)
    samples = [FusionDataSample(metainfo=dict(img_path=str(i)))
               for i in range(2)]
    out = model(inputs, samples, mode='predict')
    assert len(out) == 2 and out[1].img_path == '1'
    assert out[0].pred_fused.shape == (3, 20, 7)
    expected = (inputs[0].mean(0) * 2).clamp(0, 1)
    assert torch.allclose(out[0].pred_fused, expected)
    assert torch.equal(out[1].pred_common, inputs[1, 0])
    assert 'pred_unique_a' not in out[0]


def test_predict_without_samples_and_tensor_mode():
    model = MeanFusion(size_divisor=1)
    inputs = torch.rand(1, 2, 3, 5, 6)
    out = model(inputs, mode='predict')
    assert tuple(out[0].ori_shape) == (5, 6)
    assert model(inputs, mode='tensor').shape == (1, 3, 5, 6)


def test_errors():
    model = MeanFusion()
    with pytest.raises(NotImplementedError, match='cannot be trained'):
        model(torch.rand(1, 2, 3, 4, 4), [FusionDataSample()], mode='loss')
    with pytest.raises(ValueError, match=r'\(N, 2, C, H, W\)'):
        model(torch.rand(1, 3, 4, 4), mode='predict')
    with pytest.raises(ValueError, match='mode'):
        model(torch.rand(1, 2, 3, 4, 4), mode='bad')
    with pytest.raises(ValueError, match='size_divisor'):
        MeanFusion(size_divisor=0)


class GridPatternFusion(BaseFusionModel):
    """Output fixed to the padded input's grid: 1 on rows 8-15 of every
    16, else 0 (a stand-in for a patch model's block pattern)."""

    def fuse_images(self, inputs):
        h, w = inputs.shape[-2:]
        rows = ((torch.arange(h) // 8) % 2).float()
        return dict(fused=rows[:, None].expand(h, w).expand(
            inputs.shape[0], 3, h, w))


def test_shift_step_averages_out_a_grid_pattern():
    inputs = torch.rand(1, 2, 3, 32, 32)
    single = GridPatternFusion(size_divisor=16)(inputs, mode='tensor')
    assert set(single.unique().tolist()) == {0., 1.}
    model = GridPatternFusion(size_divisor=16, test_cfg=dict(shift_step=8))
    assert model.grid_shifts() == [(0, 0), (0, 8), (8, 0), (8, 8)]
    shifted = model(inputs, mode='tensor')
    assert shifted.shape == (1, 3, 32, 32)
    assert torch.allclose(shifted, torch.full_like(shifted, 0.5))
    assert len(GridPatternFusion(
        size_divisor=16, test_cfg=dict(shift_step=4)).grid_shifts()) == 16


def test_shift_step_keeps_a_shift_equivariant_fusion():
    inputs = torch.rand(2, 2, 3, 20, 7)
    single = MeanFusion(size_divisor=16)(inputs, mode='tensor')
    model = MeanFusion(size_divisor=16, test_cfg=dict(shift_step=4))
    out = model(inputs, mode='predict')
    assert out[0].pred_fused.shape == (3, 20, 7)
    assert torch.allclose(model(inputs, mode='tensor'), single, atol=1e-6)
    assert torch.allclose(out[1].pred_common, inputs[1, 0], atol=1e-6)


@pytest.mark.parametrize('step', [3, -4, 32, 0.5, 'none'])
def test_bad_shift_step(step):
    with pytest.raises(ValueError, match='shift_step'):
        MeanFusion(size_divisor=16, test_cfg=dict(shift_step=step))
