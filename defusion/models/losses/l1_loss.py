"""Weighted L1 loss."""
import torch
import torch.nn as nn

from defusion.registry import MODELS


@MODELS.register_module()
class L1Loss(nn.Module):
    """``loss_weight * mean |pred - target|``.

    The mean is taken over pixels and the batch (equal to the mean of the
    per-sample means for same-size samples).

    Args:
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W), (N, C, H, W) -> scalar."""
        if pred.shape != target.shape:
            raise ValueError(f'L1Loss: pred {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} differ in shape')
        diff = pred.float() - target.float()
        return self.loss_weight * diff.abs().mean()

    def extra_repr(self):
        return f'loss_weight={self.loss_weight}'
