"""Building a fusion model from a config (and its checkpoint).

Example:
    >>> from defusion.apis import init_fuser, fuse
    >>> model = init_fuser('configs/fusion/gff_tno25.py', 'none')
    >>> fused = fuse(model, 'ir/01.png', 'vi/01.png', colour_mode='ivf')
"""
import os.path as osp
import warnings
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import _load_checkpoint_to_model

from defusion.registry import MODELS
from defusion.utils.checkpoint_check import validate_checkpoint


def init_fuser(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu',
               cfg_options: Optional[dict] = None,
               require_weights: bool = False) -> torch.nn.Module:
    """Build a fusion model from a config and load its weights.

    Args:
        config (str | Config): Config file path or object.
        checkpoint (str, optional): Checkpoint file; None or 'none' keeps the
            initial weights (fine for classical baselines, which have none).
            The file is validated first (readable, a state dict, finite
            values, keys covering the model but for its
            ``inference_optional_keys``): ``CheckpointError`` otherwise.
        device (str): Device to put the model on. Defaults to 'cpu'.
        cfg_options (dict, optional): Overrides merged into the config.
        require_weights (bool): Raise instead of warning when a model with
            trainable weights gets no checkpoint. Defaults to False.

    Returns:
        nn.Module: The model in eval mode, with the config as ``model.cfg``.
    """
    if isinstance(config, (str, bytes)) or hasattr(config, '__fspath__'):
        config = str(config)
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file not found: {config}')
        config = Config.fromfile(config)
    elif not isinstance(config, Config):
        raise TypeError('config must be a file path or a Config, got '
                        f'{type(config).__name__}')
    if cfg_options:
        config.merge_from_dict(cfg_options)
    if 'model' not in config:
        raise ValueError('the config has no "model" entry')
    import defusion.datasets  # noqa: F401  (fill the registries)
    import defusion.models  # noqa: F401
    init_default_scope(config.get('default_scope', 'defusion'))
    model = MODELS.build(config.model)
    if checkpoint is not None and str(checkpoint).lower() != 'none':
        checkpoint = str(checkpoint)
        data = validate_checkpoint(
            checkpoint, model,
            getattr(model, 'inference_optional_keys', ()))
        _load_checkpoint_to_model(model, data)
    elif any(p.requires_grad for p in model.parameters()):
        if require_weights:
            raise ValueError(f'{type(model).__name__} has trainable weights: '
                             'give its checkpoint instead of "none"')
        warnings.warn(f'{type(model).__name__} has parameters but no '
                      'checkpoint was given: using its initial weights.')
    model.cfg = config
    model.to(device)
    model.eval()
    return model
