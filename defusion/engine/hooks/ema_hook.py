"""mmengine's EMAHook, safe when a checkpoint changes a buffer's shape."""
from mmengine.hooks import EMAHook as MMEngineEMAHook

from defusion.registry import HOOKS


@HOOKS.register_module()
class EMAHook(MMEngineEMAHook):
    """The weight average of mmengine, for checkpoints of another crop size.

    The average is built in ``before_run``, before ``load_from`` is read.
    Loading a checkpoint trained at another crop size replaces the
    backbone's position table (``adopt_pos_embed``) with one of another
    shape, in the model and in its average; mmengine's average keeps the
    tensors it listed when it was built and would then fail at the first
    update (``size of tensor a (65) must match ... b (37)``). This hook
    lists them again after every checkpoint load. Otherwise it is
    mmengine's hook, with the same arguments.
    """

    def after_load_checkpoint(self, runner, checkpoint) -> None:
        super().after_load_checkpoint(runner, checkpoint)
        # The same listing as mmengine's AveragedModel.__init__.
        self.ema_model.avg_parameters = (
            self.ema_model.module.state_dict()
            if self.ema_model.update_buffers else
            dict(self.ema_model.module.named_parameters()))
