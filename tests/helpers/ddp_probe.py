"""Test helper imported by a distributed smoke run (``custom_imports``):
a hook that records, per rank, which images each iteration trained on and a
checksum of the parameters after the step."""
import json
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from defusion.registry import HOOKS


@HOOKS.register_module()
class DDPProbeHook(Hook):
    """Append ``{iter, rank, images, checksum}`` lines to
    ``out_dir/rank<r>.jsonl``."""

    def __init__(self, out_dir):
        self.out_dir = out_dir

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        model = runner.model.module if is_model_wrapper(runner.model) \
            else runner.model
        with torch.no_grad():
            checksum = sum(float(p.double().sum()) for p in model.parameters())
        images = [s.img_path for s in data_batch['data_samples']]
        record = dict(iter=runner.iter + 1, rank=get_rank(), images=images,
                      checksum=checksum, world=runner.world_size)
        with open(osp.join(self.out_dir, f'rank{get_rank()}.jsonl'), 'a') as f:
            f.write(json.dumps(record) + '\n')
