"""Compatibility fixes for the pinned OpenMMLab stack, applied on import.

torch >= 2.6 loads checkpoints with ``weights_only=True`` by default.
mmengine 0.10.7 calls ``torch.load`` without that argument, so resuming a
Runner checkpoint (which pickles a ``HistoryBuffer`` and numpy objects in the
message hub) or loading one through ``load_from`` / ``init_cfg=Pretrained``
fails. We re-register mmengine's loader for local files so that a file the
user points to is loaded with ``weights_only=False``. Published checkpoints
hold only tensors and plain metadata and load either way.
"""
import os.path as osp

import torch
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


def apply_compat():
    """Install the fixes once; later calls do nothing."""
    global _APPLIED
    if _APPLIED:
        return
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    _APPLIED = True
