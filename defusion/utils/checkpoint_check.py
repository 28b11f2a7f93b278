"""Checkpoint validation: every way a checkpoint can be wrong becomes one
:class:`CheckpointError` naming the file and the problem, before any
weights are used or any output is written."""
import glob
import os.path as osp
import re
from typing import Dict, Iterable, List, Optional, Tuple

import torch


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used; the message names it."""


def read_checkpoint(path: str) -> dict:
    """Load a checkpoint file on the CPU.

    Raises:
        FileNotFoundError: the file is missing.
        CheckpointError: the file is unreadable (random bytes,
            truncated) or not a checkpoint (a bare tensor, a list).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint file not found: {path}')
    try:
        data = torch.load(path, map_location='cpu', weights_only=False)
    except Exception as err:  # torch raises many kinds for corrupt files
        reason = str(err).strip().split('\n')[0][:120] or type(err).__name__
        raise CheckpointError(f'checkpoint {path} cannot be read (corrupt or '
                              f'truncated file?): {reason}') from None
    if not isinstance(data, dict):
        raise CheckpointError(f'checkpoint {path} holds a '
                              f'{type(data).__name__}, not a dict with a '
                              'state_dict')
    return data


def state_dict_of(data: dict, path: str) -> Dict[str, torch.Tensor]:
    """The state dict in a checkpoint: its ``state_dict`` entry, or the
    dict itself when it maps names to tensors."""
    state = data.get('state_dict', data)
    if not isinstance(state, dict) or not state or not all(
            isinstance(k, str) and isinstance(v, torch.Tensor)
            for k, v in state.items()):
        raise CheckpointError(f'checkpoint {path} has no state dict (a '
                              '"state_dict" entry of named tensors)')
    return state


def check_finite(state: Dict[str, torch.Tensor], path: str) -> None:
    """Raise if any floating-point tensor holds NaN or Inf."""
    bad = [(k, int((~torch.isfinite(v)).sum())) for k, v in state.items()
           if v.is_floating_point() and not torch.isfinite(v).all()]
    if bad:
        names = ', '.join(f'{k} ({n})' for k, n in bad[:3])
        more = f' and {len(bad) - 3} more tensors' if len(bad) > 3 else ''
        raise CheckpointError(f'checkpoint {path} has NaN/Inf values in '
                              f'{names}{more}')


def _strip_prefix(keys: Iterable[str], prefix: str) -> List[str]:
    return [k[len(prefix):] if k.startswith(prefix) else k for k in keys]


def check_keys(model: torch.nn.Module, state: Dict[str, torch.Tensor],
               path: str, allowed_missing: Tuple[str, ...] = ()) -> None:
    """Raise unless the checkpoint's keys cover the model's.

    A leading ``module.`` (a DDP checkpoint) is ignored, and a model with
    an ``upgrade_state_dict`` method (older key layouts) sees the keys as it
    will load them. Model keys that start with one of ``allowed_missing``
    (e.g. ``'mfm_head.'`` for fusion inference) may be absent.
    """
    model_keys = set(model.state_dict())
    ckpt_keys = _strip_prefix(state, 'module.')
    upgrade = getattr(model, 'upgrade_state_dict', None)
    if upgrade is not None:
        ckpt_keys = upgrade(dict.fromkeys(ckpt_keys))
    ckpt_keys = set(ckpt_keys)
    if not model_keys:
        return
    if not model_keys & ckpt_keys:
        example = sorted(ckpt_keys)[0]
        raise CheckpointError(
            f'checkpoint {path} matches none of the {type(model).__name__} '
            f'model\'s {len(model_keys)} weights (it has e.g. "{example}"); '
            'wrong checkpoint or wrong config?')
    missing = sorted(k for k in model_keys - ckpt_keys
                     if not k.startswith(tuple(allowed_missing)))
    if missing:
        more = f' and {len(missing) - 3} more' if len(missing) > 3 else ''
        raise CheckpointError(f'checkpoint {path} lacks {len(missing)} '
                              f'weights of the model: '
                              f'{", ".join(missing[:3])}{more}')


def validate_checkpoint(path: str,
                        model: Optional[torch.nn.Module] = None,
                        allowed_missing: Tuple[str, ...] = ()) -> dict:
    """Read a checkpoint and check it (readable, a state dict, finite
    values and, with ``model``, keys that cover it). Returns the loaded
    dict."""
    data = read_checkpoint(path)
    state = state_dict_of(data, path)
    check_finite(state, path)
    if model is not None:
        check_keys(model, state, path, allowed_missing)
    return data


def _iteration(path: str) -> int:
    match = re.search(r'iter_(\d+)\.pth$', path) or \
        re.search(r'epoch_(\d+)\.pth$', path)
    return int(match.group(1)) if match else -1


def newest_readable_checkpoint(work_dir: str) -> Tuple[Optional[str], list]:
    """The checkpoint to resume from: the one ``last_checkpoint`` names if
    it reads, else the newest readable ``iter_*.pth`` / ``epoch_*.pth``.

    Returns:
        tuple: (path or None, [(skipped path, reason), ...]).
    """
    candidates = []
    last = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as f:
            named = f.read().strip()
        if named:
            candidates.append(named)
    found = glob.glob(osp.join(work_dir, 'iter_*.pth')) + \
        glob.glob(osp.join(work_dir, 'epoch_*.pth'))
    for path in sorted(found, key=_iteration, reverse=True):
        if osp.abspath(path) not in map(osp.abspath, candidates):
            candidates.append(path)
    skipped = []
    for path in candidates:
        try:
            data = read_checkpoint(path)
            state_dict_of(data, path)
            return path, skipped
        except (CheckpointError, FileNotFoundError) as err:
            skipped.append((path, str(err)))
    return None, skipped
