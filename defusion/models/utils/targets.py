"""Stacking per-sample targets of data samples into a batch."""
from typing import Sequence

import torch


def stack_targets(data_samples: Sequence, key: str,
                  like: torch.Tensor) -> torch.Tensor:
    """Stack ``sample.<key>`` (C, H, W) of every data sample into (N, C, H,
    W) on ``like``'s device, checking count and size against ``like`` (the
    prediction the targets are compared with).

    Raises:
        ValueError: a sample lacks the key, or count / size mismatch.
    """
    if data_samples is None or len(data_samples) != like.shape[0]:
        count = 0 if data_samples is None else len(data_samples)
        raise ValueError(f'{count} data samples for a batch of '
                         f'{like.shape[0]}: every input needs its {key}')
    values = [s.get(key) for s in data_samples]
    if any(v is None for v in values):
        raise ValueError(f'a data sample lacks "{key}"; use a pretext '
                         'pipeline (SynthesizePretextPair + '
                         'PackPretextInputs)')
    target = torch.stack(values).to(like.device)
    if target.shape[-2:] != like.shape[-2:]:
        raise ValueError(f'{key} has size {tuple(target.shape[-2:])}, the '
                         f'prediction {tuple(like.shape[-2:])}')
    return target
