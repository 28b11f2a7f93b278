"""High-level inference: build a fuser from a config and fuse images.

Example:
    >>> from defusion.apis import init_fuser, fuse
    >>> model = init_fuser('configs/fusion/gff_tno25.py', 'none')
    >>> fused = fuse(model, 'ir/01.png', 'vi/01.png', colour_mode='ivf')
"""
import os.path as osp
import warnings
from typing import Dict, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import _load_checkpoint_to_model

from defusion.datasets.transforms import pack_pair, read_image, to_float_image
from defusion.models.utils import restore_colour
from defusion.registry import MODELS
from defusion.structures import FusionDataSample
from defusion.utils.checkpoint_check import validate_checkpoint
from .tiling import fuse_tiled

# Task presets of DESIGN section 5.
TASK_COLOUR_MODES = dict(ivf='luminance', med='luminance', mef='rgb',
                         mff='rgb')
COLOUR_MODES = ('luminance', 'rgb')
# Inputs with more pixels than this are fused tile by tile (tile_size=None).
DEFAULT_TILE_THRESHOLD = 1024 * 1024
DEFAULT_TILE_SIZE = 512
DEFAULT_TILE_OVERLAP = 64

ImageLike = Union[str, np.ndarray]


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


def _find_colour_mode(cfg) -> Optional[str]:
    """``colour_mode`` of the PackFusionPair in the config's test pipeline."""
    try:
        pipeline = cfg.test_dataloader.dataset.pipeline
    except AttributeError:
        return None
    for step in pipeline:
        if step.get('type') == 'PackFusionPair':
            return step.get('colour_mode', 'luminance')
    return None


def resolve_colour_mode(model, colour_mode: Optional[str]) -> str:
    """Turn a colour mode or task preset (ivf, med, mef, mff) into
    'luminance' or 'rgb'; None -> the config's test pipeline, else
    'luminance'."""
    if colour_mode is None:
        colour_mode = _find_colour_mode(getattr(model, 'cfg', None)) or \
            'luminance'
    colour_mode = TASK_COLOUR_MODES.get(colour_mode, colour_mode)
    if colour_mode not in COLOUR_MODES:
        raise ValueError(
            f'colour_mode must be one of {COLOUR_MODES} or a task preset '
            f'{tuple(TASK_COLOUR_MODES)}, got {colour_mode!r}')
    return colour_mode


def load_source(image: ImageLike, name: str) -> Tuple[np.ndarray, list]:
    """A path or array -> (float32 (H, W, C) in [0, 1], conversion notes).

    Arrays are (H, W) or (H, W, 3) RGB, uint8, uint16 or float in [0, 1].
    """
    if isinstance(image, np.ndarray):
        return to_float_image(image, name=name)
    if isinstance(image, (str, bytes)) or hasattr(image, '__fspath__'):
        return read_image(str(image))
    raise TypeError(f'{name}: expected a file path or a numpy array, got '
                    f'{type(image).__name__}')


def _to_numpy(image: torch.Tensor) -> np.ndarray:
    """(C, H, W) tensor -> (H, W) if C == 1 else (H, W, C) float32."""
    array = image.detach().float().cpu().numpy()
    return array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0)


def _needs_tiling(shape, tile_size, tile_threshold) -> bool:
    if tile_size == 0:
        return False
    if tile_size is not None:
        return True
    return shape[0] * shape[1] > tile_threshold


@torch.no_grad()
def fuse_pair(model,
              img_a: np.ndarray,
              img_b: np.ndarray,
              colour_mode: str,
              tile_size: Optional[int] = None,
              tile_overlap: int = DEFAULT_TILE_OVERLAP,
              tile_threshold: int = DEFAULT_TILE_THRESHOLD,
              meta: Optional[dict] = None,
              progress=None) -> FusionDataSample:
    """Fuse two float (H, W, C) arrays; returns the predicted data sample.

    See :func:`fuse` for the tiling arguments.
    """
    inputs, cbcr = pack_pair(img_a, img_b, colour_mode)
    sample = FusionDataSample()
    sample.set_metainfo(
        dict(
            ori_shape=tuple(img_a.shape[:2]),
            colour_mode=colour_mode,
            source_channels=(img_a.shape[2], img_b.shape[2]),
            **(meta or {})))
    if cbcr is not None:
        sample.cbcr = cbcr
    data = model.data_preprocessor(
        dict(inputs=[inputs], data_samples=[sample]), False)
    batch, samples = data['inputs'], data['data_samples']
    if not _needs_tiling(img_a.shape, tile_size, tile_threshold):
        return model.predict(batch, samples)[0]
    # Tiled: fuse tile by tile, blend, then restore the colour once.
    outputs = fuse_tiled(model._fuse_padded, batch, tile_size
                         or DEFAULT_TILE_SIZE, tile_overlap, progress)
    sample = samples[0]
    for key, value in outputs.items():
        pred = value[0].clamp(0, 1)
        if key == 'fused':
            pred = restore_colour(pred, sample)
        setattr(sample, f'pred_{key}', pred)
    return sample


def fuse(model,
         img_a: ImageLike,
         img_b: ImageLike,
         *more: ImageLike,
         colour_mode: Optional[str] = None,
         return_components: bool = False,
         tile_size: Optional[int] = None,
         tile_overlap: int = DEFAULT_TILE_OVERLAP,
         tile_threshold: int = DEFAULT_TILE_THRESHOLD,
         progress=None):
    """Fuse two (or more) aligned images.

    More than two sources are fused sequentially in the given order:
    ``fuse(fuse(fuse(a, b), c), d)``; for exposure stacks pass the images
    ordered from darkest to brightest (or any fixed order; the result
    depends on it).

    Args:
        model: A model from :func:`init_fuser`.
        img_a, img_b, *more: File paths or numpy arrays ((H, W) or (H, W, 3)
            RGB, uint8 / uint16 / float in [0, 1]); all of the same size.
        colour_mode (str, optional): 'luminance', 'rgb' or a task preset
            ('ivf', 'med' -> luminance; 'mef', 'mff' -> rgb). None: the
            config's test pipeline, else 'luminance'.
        return_components (bool): Also return a dict with the model's
            ``common``, ``unique1``, ``unique2`` images ((H, W, 3) float32;
            only those the model predicts; of the last fusion step).
        tile_size (int, optional): None: tile only inputs with more than
            ``tile_threshold`` pixels, with 512 px tiles; an int (multiple
            of 16): always tile with that size; 0: never tile.
        tile_overlap (int): Overlap of neighbouring tiles (multiple of 16).
            Defaults to 64.
        tile_threshold (int): Pixel count above which tiling starts when
            ``tile_size`` is None. Defaults to 1024 * 1024.
        progress (callable, optional): ``progress(done, total)`` after each
            tile of a tiled fusion.

    Returns:
        np.ndarray | tuple: The fused image, (H, W) (grey) or (H, W, 3)
        float32 in [0, 1]; with ``return_components`` a tuple
        ``(fused, components)``.
    """
    mode = resolve_colour_mode(model, colour_mode)
    sources = [img_a, img_b, *more]
    names = [src if isinstance(src, str) else f'source {i}'
             for i, src in enumerate(sources)]
    arrays = [load_source(src, name)[0] for src, name in zip(sources, names)]
    for array, name in zip(arrays[1:], names[1:]):
        if array.shape[:2] != arrays[0].shape[:2]:
            raise ValueError(
                f'size mismatch: {names[0]} is {arrays[0].shape[1]}x'
                f'{arrays[0].shape[0]} but {name} is {array.shape[1]}x'
                f'{array.shape[0]} (WxH)')
    fused = arrays[0]
    sample = None
    for array in arrays[1:]:
        sample = fuse_pair(model, fused, array, mode, tile_size, tile_overlap,
                           tile_threshold, progress=progress)
        fused = _to_numpy(sample.pred_fused)
        if fused.ndim == 2:
            fused = fused[..., None]
    fused = fused[..., 0] if fused.shape[2] == 1 else fused
    fused = np.ascontiguousarray(np.clip(fused, 0, 1), dtype=np.float32)
    if not return_components:
        return fused
    components: Dict[str, np.ndarray] = {}
    for key in ('common', 'unique1', 'unique2'):
        if f'pred_{key}' in sample:
            components[key] = _to_numpy(getattr(sample, f'pred_{key}'))
    return fused, components
