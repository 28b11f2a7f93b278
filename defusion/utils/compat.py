"""Compatibility fixes for the pinned OpenMMLab stack, applied on import.

torch >= 2.6 loads checkpoints with ``weights_only=True`` by default.
mmengine 0.10.7 calls ``torch.load`` without that argument, so resuming a
Runner checkpoint (which pickles a ``HistoryBuffer`` and numpy objects in the
message hub) or loading one through ``load_from`` / ``init_cfg=Pretrained``
fails. We re-register mmengine's loader for local files so that a file the
user points to is loaded with ``weights_only=False``. Published checkpoints
hold only tensors and plain metadata and load either way.

mmengine 0.10.7's pytorch launcher always calls ``torch.cuda.set_device``,
so data-parallel training cannot start on a machine without CUDA. With the
``gloo`` backend and no CUDA the launcher here initialises the process group
without touching CUDA; every other case goes to mmengine's own launcher.
:func:`cpu_distributed_defaults` gives a CPU run the gloo backend and a DDP
wrapper without device ids. :func:`close_distributed` ends the process
group before the interpreter exits: a gloo group left to the interpreter's
teardown can abort the process ("terminate called without an active
exception") after a run that finished, so the tools drop the runner, then
call it.
"""
import gc
import os
import os.path as osp

import mmengine.dist.utils as mmengine_dist_utils
import torch
import torch.distributed as torch_dist
from mmengine.runner.checkpoint import CheckpointLoader

_APPLIED = False


def load_local_checkpoint(filename, map_location=None):
    """Load a local checkpoint written by mmengine or torch.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (str | torch.device, optional): As in ``torch.load``.

    Returns:
        dict: The loaded object.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    return torch.load(filename, map_location=map_location, weights_only=False)


_mmengine_init_dist_pytorch = mmengine_dist_utils._init_dist_pytorch


def init_dist_pytorch(backend, init_backend='torch', **kwargs) -> None:
    """mmengine's pytorch launcher, minus ``torch.cuda.set_device`` for a
    gloo process group on a machine without CUDA."""
    if backend == 'gloo' and init_backend == 'torch' and \
            not torch.cuda.is_available():
        torch_dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']),
            **kwargs)
        return
    _mmengine_init_dist_pytorch(backend, init_backend=init_backend, **kwargs)


def cpu_distributed_defaults(cfg) -> None:
    """On a machine without CUDA, make a distributed config run on CPU.

    ``env_cfg.dist_cfg.backend`` becomes 'gloo' (NCCL needs CUDA) and the
    model wrapper gets ``device_ids=None`` (DDP of a CPU module). Does
    nothing when CUDA is available or the launcher is 'none'.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def close_distributed() -> None:
    """Wait for every rank, then destroy the default process group, if
    one was started; does nothing in a single-process run.

    Call it after the last reference to the runner is gone: the DDP wrapper's
    reducer holds the group too, and the gloo group is only freed (its worker
    threads joined) when nothing holds it. ``gc.collect`` frees the runner's
    reference cycles first.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        gc.collect()
        torch_dist.barrier()
        torch_dist.destroy_process_group()
        gc.collect()


def apply_compat():
    """Install the fixes once; later calls do nothing."""
    global _APPLIED
    if _APPLIED:
        return
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    mmengine_dist_utils._init_dist_pytorch = init_dist_pytorch
    _APPLIED = True
