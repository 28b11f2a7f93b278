"""Hook that ends an iteration-based run when a wall-time budget is spent."""
import time

from mmengine.hooks import Hook

from defusion.registry import HOOKS


@HOOKS.register_module()
class TimeBudgetHook(Hook):
    """Stop training after ``max_seconds`` of training time.

    When the budget is spent the current iteration becomes the last one:
    the checkpoint hook saves it (``save_last``) and the final validation
    runs, exactly as at the planned ``max_iters``. Meant for leased
    machines (a GPU lent for a few minutes).

    Args:
        max_seconds (float): Training time budget, counted from the first
            iteration.
    """

    priority = 'VERY_HIGH'

    def __init__(self, max_seconds: float):
        if max_seconds <= 0:
            raise ValueError(f'max_seconds must be positive, got '
                             f'{max_seconds}')
        self.max_seconds = float(max_seconds)
        self._start = None

    def before_train(self, runner) -> None:
        self._start = time.time()

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        loop = runner.train_loop
        if time.time() - self._start > self.max_seconds and \
                runner.iter + 1 < loop.max_iters:
            runner.logger.info(
                f'TimeBudgetHook: {self.max_seconds:.0f} s spent, iteration '
                f'{runner.iter + 1} is the last (of {loop.max_iters})')
            loop._max_iters = runner.iter + 1
