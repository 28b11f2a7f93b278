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


def test_ssim_loss_k1_sets_where_a_flat_guess_between_two_targets_lands():
    # Two flat targets, 0.1 and 0.9; the flat prediction p that minimises the
    # mean loss over both. Wang's k1 = 0.01 makes the luminance term a ratio:
    # two near-equal minima, at 0.14 and 0.66, neither at the midpoint; k1 = 1
    # is close to a quadratic penalty, one minimum near the midpoint.
    targets = torch.tensor([0.1, 0.9]).view(2, 1, 1, 1).expand(2, 1, 16, 16)
    levels = torch.linspace(0.05, 0.95, 91)

    def best_level(loss):
        values = [loss(torch.full_like(targets, float(p)), targets)
                  for p in levels]
        return float(levels[int(torch.stack(values).argmin())])

    assert abs(best_level(SSIMLoss()) - 0.5) > 0.1
    assert 0.4 <= best_level(SSIMLoss(k1=1.0)) <= 0.5
    with pytest.raises(ValueError, match='k1'):
        SSIMLoss(k1=0.)
