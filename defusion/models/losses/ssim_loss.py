"""Weighted SSIM loss."""
import torch
import torch.nn as nn

from defusion.evaluation.functional import ssim
from defusion.registry import MODELS


@MODELS.register_module()
class SSIMLoss(nn.Module):
    """``loss_weight * mean over the batch of (1 - SSIM(pred, target)) / 2``.

    SSIM with a Gaussian window (``win_size``, ``sigma``) on images in
    [0, ``data_range``], computed in float32.

    Args:
        loss_weight (float): Defaults to 1.0.
        win_size (int): Defaults to 11.
        sigma (float): Defaults to 1.5.
        data_range (float): Defaults to 1.0.
        k1 (float): Luminance constant, C1 = (k1 * data_range)^2. With
            Wang's 0.01 (the default) the luminance term is a ratio that
            weighs an error on a dark target far more than the same error
            on a bright one; with k1 near 1 it is close to a quadratic
            penalty ``1 - (mu_x - mu_y)^2 / (mu_x^2 + mu_y^2 + C1)``.
        k2 (float): Contrast-structure constant. Defaults to 0.03.
        padding (str): ``'same'`` (border replicated, every pixel gets a
            gradient; the default) or ``'valid'``.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 win_size: int = 11,
                 sigma: float = 1.5,
                 data_range: float = 1.0,
                 k1: float = 0.01,
                 k2: float = 0.03,
                 padding: str = 'same'):
        super().__init__()
        self.loss_weight = loss_weight
        self.win_size = win_size
        self.sigma = sigma
        self.data_range = data_range
        if k1 <= 0 or k2 <= 0:
            raise ValueError(f'SSIMLoss: k1 and k2 must be positive, got {k1} '
                             f'and {k2}')
        self.k1 = k1
        self.k2 = k2
        self.padding = padding

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W), (N, C, H, W) -> scalar."""
        # float32 even under autocast: SSIM divides small differences.
        with torch.autocast(device_type=pred.device.type, enabled=False):
            score = ssim(
                pred.float(),
                target.float(),
                data_range=self.data_range,
                win_size=self.win_size,
                sigma=self.sigma,
                k1=self.k1,
                k2=self.k2,
                padding=self.padding)
        return self.loss_weight * ((1 - score) / 2).mean()

    def extra_repr(self):
        return (f'loss_weight={self.loss_weight}, win_size={self.win_size}, '
                f'k1={self.k1}, k2={self.k2}')
