import pytest
import torch

from defusion.evaluation.functional import ssim
from defusion.models.losses import L1Loss, SSIMLoss


def test_l1_loss():
    pred, target = torch.zeros(2, 3, 4, 4), torch.full((2, 3, 4, 4), 0.5)
    assert torch.isclose(L1Loss(loss_weight=4.)(pred, target),
                         torch.tensor(2.))
    with pytest.raises(ValueError, match='differ in shape'):
        L1Loss()(pred, target[:1])


def test_ssim_loss_value_and_grad():
    torch.manual_seed(0)
    target = torch.rand(2, 3, 24, 24)
    pred = (target + 0.1 * torch.randn_like(target)).requires_grad_()
    loss = SSIMLoss(loss_weight=50.)(pred, target)
    expected = 50 * ((1 - ssim(pred, target, padding='same')) / 2).mean()
    assert torch.isclose(loss, expected)
    assert SSIMLoss()(target, target).abs() < 1e-6
    loss.backward()
    assert pred.grad.abs().sum() > 0


def test_ssim_loss_float32_under_autocast():
    target = torch.rand(1, 3, 16, 16)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = SSIMLoss()(target.bfloat16(), target)
    assert loss.dtype == torch.float32
