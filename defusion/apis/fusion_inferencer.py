"""FusionInferencer: fuse image pairs with a named model or a config.

Example:
    >>> from defusion.apis import FusionInferencer
    >>> inferencer = FusionInferencer()  # the recommended DeFusion++ model
    >>> result = inferencer('ir.png', 'vi.png', task='ivf')
    >>> result['fused'].shape  # (H, W, 3) float32 in [0, 1]
    >>> FusionInferencer('gff_tno25')('ir.png', 'vi.png')['fused']
    >>> FusionInferencer('configs/fusion/x.py', weights='ckpt.pth')
"""
import copy
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate

from defusion.datasets.transforms import read_image, to_float_image
from defusion.datasets.transforms.pack_fusion_pair import COLOUR_MODES
from defusion.registry import INFERENCERS
from .inference import init_fuser
from .model_hub import RECOMMENDED_MODEL, get_model

#: Task presets: colour handling per fusion task.
TASK_COLOUR_MODES = dict(ivf='luminance', med='luminance', mef='rgb',
                         mff='rgb')
DEFAULT_PIPELINE = [
    dict(type='LoadImagePair'),
    dict(type='PackFusionPair', colour_mode='luminance'),
]
ImageLike = Union[str, np.ndarray]


def resolve_colour_mode(mode: Optional[str], default: str) -> str:
    """A colour mode or task preset -> 'luminance' or 'rgb' (None: the
    default)."""
    mode = TASK_COLOUR_MODES.get(mode, mode) if mode else default
    if mode not in COLOUR_MODES:
        raise ValueError(
            f'colour mode must be one of {COLOUR_MODES} or a task preset '
            f'{tuple(TASK_COLOUR_MODES)}, got {mode!r}')
    return mode


def _image_to_numpy(image: torch.Tensor) -> np.ndarray:
    """(C, H, W) tensor -> (H, W) if C == 1 else (H, W, C) float32."""
    array = image.detach().float().cpu().numpy()
    array = array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0)
    return np.ascontiguousarray(np.clip(array, 0, 1), dtype=np.float32)


@INFERENCERS.register_module()
class FusionInferencer:
    """Fuse aligned images with a fusion model.

    The model's own test pipeline (``LoadImagePair`` + ``PackFusionPair``)
    turns each pair into network inputs, and the model's ``predict`` pads,
    tiles large inputs, crops and restores the colour, exactly as in
    ``tools/test.py``. Each source file is decoded once.

    Args:
        model (str, optional): A model name from ``model-index.yml`` (see
            :func:`~defusion.apis.model_hub.list_models`) or a config file.
            Defaults to the recommended DeFusion++ model.
        weights (str, optional): Checkpoint; for a named model its own
            weights by default. ``'none'`` for models without weights.
        device (str): Defaults to 'cpu'.
        tile_size, tile_overlap, tile_threshold (int, optional): Override
            the model's tiling (``test_cfg``); ``tile_size=0`` never tiles.
        shift_step (int, optional): Override the model's shift averaging
            (``test_cfg``); 0 fuses once (DeFusion++ default: 4, 16
            passes).
    """

    def __init__(self,
                 model: Optional[str] = None,
                 weights: Optional[str] = None,
                 device: str = 'cpu',
                 tile_size: Optional[int] = None,
                 tile_overlap: Optional[int] = None,
                 tile_threshold: Optional[int] = None,
                 shift_step: Optional[int] = None):
        model = model or RECOMMENDED_MODEL
        if isinstance(model, str) and not model.endswith('.py'):
            model, named_weights = get_model(model, fusion=True)
            weights = weights or named_weights or 'none'
        self.model = init_fuser(model, weights, device=device,
                                require_weights=True)
        self._set_test_cfg(tile_size, tile_overlap, tile_threshold,
                           shift_step)
        self.pipeline_cfg = self._test_pipeline(self.model.cfg)

    @classmethod
    def from_model(cls, model, **test_cfg) -> 'FusionInferencer':
        """An inferencer around a model built by ``init_fuser``;
        ``test_cfg``: the overrides of ``__init__`` (``tile_size``, ...)."""
        self = cls.__new__(cls)
        self.model = model
        self._set_test_cfg(**test_cfg)
        self.pipeline_cfg = self._test_pipeline(getattr(model, 'cfg', None))
        return self

    def _set_test_cfg(self, tile_size=None, tile_overlap=None,
                      tile_threshold=None, shift_step=None):
        for key, value in (('tile_size', tile_size),
                           ('tile_overlap', tile_overlap),
                           ('tile_threshold', tile_threshold),
                           ('shift_step', shift_step)):
            if value is not None:
                self.model.test_cfg[key] = value
        if tile_size and tile_threshold is None:
            self.model.test_cfg['tile_threshold'] = 0  # a size: always tile
        self.model.check_test_cfg()

    @staticmethod
    def _test_pipeline(cfg) -> List[dict]:
        """The config's test pipeline if it packs fusion pairs, else the
        default one."""
        try:
            pipeline = cfg.test_dataloader.dataset.pipeline
        except AttributeError:
            pipeline = None
        if not pipeline or not any(
                s.get('type') == 'PackFusionPair' for s in pipeline):
            pipeline = DEFAULT_PIPELINE
        return copy.deepcopy(list(pipeline))

    @property
    def default_colour_mode(self) -> str:
        for step in self.pipeline_cfg:
            if step.get('type') == 'PackFusionPair':
                return step.get('colour_mode', 'luminance')
        return 'luminance'

    def _pipeline(self, colour_mode: str, from_files: bool) -> Compose:
        steps = []
        for step in copy.deepcopy(self.pipeline_cfg):
            if step.get('type') == 'LoadImagePair' and not from_files:
                continue
            if step.get('type') == 'PackFusionPair':
                step['colour_mode'] = colour_mode
            steps.append(step)
        return Compose(steps)

    def load(self, img_a: ImageLike, img_b: ImageLike,
             colour_mode: str) -> dict:
        """Run the test pipeline on one pair (files or arrays) and return
        its results (``inputs``, ``data_samples`` and the decoded sources
        ``img_a`` / ``img_b``, float (H, W, C) in [0, 1])."""
        if isinstance(img_a, np.ndarray) != isinstance(img_b, np.ndarray):
            raise TypeError('give two file paths or two arrays')
        if isinstance(img_a, np.ndarray):
            results = dict(img_a=to_float_image(img_a, name='img_a')[0],
                           img_b=to_float_image(img_b, name='img_b')[0])
            (h_a, w_a), (h_b, w_b) = (results['img_a'].shape[:2],
                                      results['img_b'].shape[:2])
            if (h_a, w_a) != (h_b, w_b):
                raise ValueError(f'size mismatch: img_a (array) is {w_a}x'
                                 f'{h_a} but img_b (array) is {w_b}x{h_b} '
                                 '(WxH); fusion needs aligned pairs')
            results['ori_shape'] = results['img_a'].shape[:2]
            from_files = False
        else:
            results = dict(img_a_path=str(img_a), img_b_path=str(img_b))
            from_files = True
        pipeline = self._pipeline(colour_mode, from_files)
        sources = {}
        for transform in pipeline.transforms:
            if 'img_a' in results:
                sources = dict(img_a=results['img_a'], img_b=results['img_b'])
            results = transform(results)
        results.update(sources)
        return results

    @torch.no_grad()
    def fuse_pair(self, img_a: ImageLike, img_b: ImageLike,
                  colour_mode: Optional[str] = None, progress=None):
        """Fuse one pair; returns ``(data sample, sources)``."""
        mode = resolve_colour_mode(colour_mode, self.default_colour_mode)
        results = self.load(img_a, img_b, mode)
        data = self.model.data_preprocessor(
            pseudo_collate([dict(inputs=results['inputs'],
                                 data_samples=results['data_samples'])]),
            False)
        sample = self.model.predict(data['inputs'], data['data_samples'],
                                    progress=progress)[0]
        return sample, (results['img_a'], results['img_b'])

    def __call__(self,
                 img_a: ImageLike,
                 img_b: ImageLike,
                 *more: ImageLike,
                 task: Optional[str] = None,
                 progress=None) -> Dict[str, np.ndarray]:
        """Fuse two (or more) aligned images.

        More than two sources are fused in the given order:
        ``fuse(fuse(fuse(a, b), c), d)``; for exposure stacks pass them from
        darkest to brightest.

        Args:
            img_a, img_b, *more: File paths or arrays ((H, W) or (H, W, 3)
                RGB, uint8 / uint16 / float in [0, 1]) of one size.
            task (str, optional): 'ivf', 'med', 'mef', 'mff' or a colour
                mode ('luminance', 'rgb'); default: the model config's.
            progress (callable, optional): ``progress(done, total)`` after
                each tile of a tiled fusion.

        Returns:
            dict: ``fused`` ((H, W) grey or (H, W, 3) float32 in [0, 1]),
            the model's components (``common``, ``unique_a``, ``unique_b``
            for DeFusion++; of the last step) and ``sources`` (the decoded
            inputs).
        """
        sources = [img_a, img_b, *more]
        if more:  # sequential fusion works on arrays: decode each file once
            sources = [read_image(str(s))[0] if not isinstance(
                s, np.ndarray) else s for s in sources]
        fused, sample, decoded = sources[0], None, []
        for i, source in enumerate(sources[1:]):
            sample, pair = self.fuse_pair(fused, source, task, progress)
            decoded.extend(pair if i == 0 else pair[1:])
            fused = _image_to_numpy(sample.pred_fused)
        result = dict(fused=fused, sources=decoded)
        for key in getattr(self.model, 'component_keys', ()):
            if f'pred_{key}' in sample:
                result[key] = _image_to_numpy(sample.get(f'pred_{key}'))
        return result


def fuse(model, img_a: ImageLike, img_b: ImageLike, *more: ImageLike,
         colour_mode: Optional[str] = None, return_components: bool = False,
         tile_size: Optional[int] = None, tile_overlap: Optional[int] = None,
         tile_threshold: Optional[int] = None,
         shift_step: Optional[int] = None, progress=None):
    """Fuse with a model from :func:`init_fuser` (the functional form of
    :class:`FusionInferencer`; the tiling and shift options override the
    model's ``test_cfg`` for this call only).

    Returns:
        np.ndarray | tuple: the fused image; with ``return_components`` a
        tuple ``(fused, {component: image})``.
    """
    old = dict(model.test_cfg)
    try:
        inferencer = FusionInferencer.from_model(
            model, tile_size=tile_size, tile_overlap=tile_overlap,
            tile_threshold=tile_threshold, shift_step=shift_step)
        result = inferencer(img_a, img_b, *more, task=colour_mode,
                            progress=progress)
    finally:
        model.test_cfg = old
    if not return_components:
        return result['fused']
    return result['fused'], {
        k: v for k, v in result.items() if k not in ('fused', 'sources')}
