"""Hook that starts a from-scratch pretraining run near the identity."""
import torch
from mmengine.dist import broadcast, get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from defusion.models.utils.identity_init import identity_init
from defusion.registry import HOOKS


@HOOKS.register_module()
class IdentityInitHook(Hook):
    """Apply :func:`defusion.models.utils.identity_init.identity_init`
    before the first iteration of a run that starts from scratch.

    The clean crops come from the training dataset itself (its pipeline's
    ``gt_clean``), so no other data is used. Skipped when the run loads
    weights (``load_from``) or resumes. On several processes rank 0's
    result is broadcast to all.

    Args:
        num_images (int): Training crops used for the PCA and the read-out
            fits. Defaults to 256.
        content_ratio (float): Content / position norm ratio of the patch
            embedding. Defaults to 0.35.
        pca_dims (int, optional): Principal components in the patch
            embedding; the other content channels see the rest of the patch
            through a random projection. None: all principal components.
        seed (int): Seed of the crop selection. Defaults to 0.
    """

    priority = 'VERY_HIGH'

    def __init__(self, num_images: int = 256, content_ratio: float = 0.35,
                 pca_dims=None, seed: int = 0):
        self.num_images = int(num_images)
        self.content_ratio = float(content_ratio)
        self.pca_dims = pca_dims
        self.seed = seed

    def before_train(self, runner) -> None:
        if runner._load_from or runner._resume:
            runner.logger.info('IdentityInitHook: weights are loaded, '
                               'skipping the identity init')
            return
        model = runner.model.module if is_model_wrapper(runner.model) \
            else runner.model
        dataset = runner.train_dataloader.dataset
        g = torch.Generator().manual_seed(self.seed + get_rank())
        count = min(self.num_images, len(dataset))
        index = torch.randperm(len(dataset), generator=g)[:count]
        clean = torch.stack(
            [dataset[int(i)]['data_samples'].gt_clean for i in index])
        device = next(model.parameters()).device
        report = identity_init(model, clean.to(device), self.content_ratio,
                               self.pca_dims)
        for param in model.state_dict().values():
            broadcast(param, 0)
        runner.logger.info('IdentityInitHook: ' + ', '.join(
            f'{k}={v:.2f}' if isinstance(v, float) else f'{k}={v}'
            for k, v in report.items()))
