"""Base class of every fusion model (learned or classical)."""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel

from defusion.registry import MODELS
from defusion.structures import FusionDataSample
from ..utils import restore_colour
from ..utils.tiling import fuse_tiled

# Tiling defaults of ``test_cfg``: inputs with more pixels than
# ``tile_threshold`` are fused in ``tile_size`` tiles overlapping by
# ``tile_overlap`` (None: never tile; 0 tile_size: never tile).
# ``shift_step``: 0 fuses once; a divisor d of ``size_divisor`` also fuses
# the input shifted by every multiple of d below ``size_divisor`` in each
# axis (padded at the top / left, shifted back) and averages the
# ``(size_divisor / d) ** 2`` results, so that a patch model's patch grid
# averages out.
DEFAULT_TEST_CFG = dict(tile_size=512, tile_overlap=64,
                        tile_threshold=1024 * 1024, shift_step=0)

PRED_KEYS = ('fused', 'common', 'unique_a', 'unique_b')


def pad_sides(x: torch.Tensor, top: int = 0, bottom: int = 0, left: int = 0,
              right: int = 0) -> torch.Tensor:
    """Pad the last two dims of ``x`` (..., H, W) by the given pixels.

    Reflect padding is used; where a side is too short to reflect (pad >=
    size) replicate padding is used instead.
    """
    if not (top or bottom or left or right):
        return x
    h, w = x.shape[-2:]
    lead = x.shape[:-3]
    flat = x.reshape(-1, *x.shape[-3:])
    mode = 'reflect' if max(top, bottom) < h and max(left, right) < w \
        else 'replicate'
    flat = F.pad(flat, (left, right, top, bottom), mode=mode)
    return flat.reshape(*lead, *flat.shape[-3:])


def pad_to_multiple(x: torch.Tensor, divisor: int) -> torch.Tensor:
    """Pad the last two dims of ``x`` (..., H, W) at the bottom/right to a
    multiple of ``divisor`` (reflect, or replicate where too short)."""
    h, w = x.shape[-2:]
    return pad_sides(x, bottom=(divisor - h % divisor) % divisor,
                     right=(divisor - w % divisor) % divisor)


class BaseFusionModel(BaseModel, metaclass=ABCMeta):
    """Base fusion model.

    Subclasses implement :meth:`fuse_images`; learned models also implement
    :meth:`loss`. Inputs are the two sources stacked by the data
    preprocessor, (N, 2, 3, H, W).

    :meth:`predict` is the one inference path (used by the test loop, the
    :class:`~defusion.apis.FusionInferencer` and ``tools/fuse.py``): it pads
    to ``size_divisor``, fuses large inputs tile by tile (``test_cfg``),
    crops back, clamps and restores the colour of the sources.

    Args:
        size_divisor (int): :meth:`predict` pads the inputs to a multiple of
            this. Defaults to 1.
        test_cfg (dict, optional): Tiling: ``tile_size`` (a multiple of
            ``size_divisor``; 0 disables tiling), ``tile_overlap``,
            ``tile_threshold`` (pixel count above which tiling starts;
            0 tiles every input). Defaults to 512 / 64 / 1024 * 1024.
            Shift averaging: ``shift_step`` (0, the default: one pass; a
            divisor d of ``size_divisor``: the mean over all shifts by
            multiples of d below ``size_divisor`` in both axes).
        data_preprocessor (dict | nn.Module, optional): The data
            preprocessor or its config (type defaults to
            'FusionDataPreprocessor'; None means one without normalisation).
        init_cfg (dict, optional): Initialisation config.
    """

    #: Weight name prefixes a checkpoint may lack for fusion (parts used
    #: only in training, e.g. DeFusion++'s MFM decoder).
    inference_optional_keys = ()

    def __init__(self,
                 size_divisor: int = 1,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = dict(type='FusionDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            # Build from the defusion registry so that configs work without
            # a default scope.
            data_preprocessor = dict(data_preprocessor)
            data_preprocessor.setdefault('type', 'FusionDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not isinstance(size_divisor, int) or size_divisor < 1:
            raise ValueError(
                f'size_divisor must be a positive int, got {size_divisor!r}')
        self.size_divisor = size_divisor
        self.test_cfg = dict(DEFAULT_TEST_CFG, **(test_cfg or {}))
        self.check_test_cfg()

    #: Component images the model predicts besides ``fused``.
    component_keys = ()

    def check_test_cfg(self) -> None:
        """Validate ``test_cfg`` (tile size and overlap multiples of
        ``size_divisor``, ``shift_step`` 0 or a divisor of it)."""
        cfg = self.test_cfg
        unknown = set(cfg) - set(DEFAULT_TEST_CFG)
        if unknown:
            raise ValueError(f'unknown test_cfg keys {sorted(unknown)}; '
                             f'known: {sorted(DEFAULT_TEST_CFG)}')
        div = self.size_divisor
        tile, overlap = cfg['tile_size'], cfg['tile_overlap']
        if tile and (tile % div or tile < 0):
            raise ValueError(f'tile size {tile} must be a positive multiple '
                             f'of {div} (the model\'s size divisor), or 0')
        if tile and (overlap % div or not 0 <= overlap < tile):
            raise ValueError(f'tile overlap {overlap} must be a multiple of '
                             f'{div} in [0, tile size {tile})')
        step = cfg['shift_step']
        if not isinstance(step, int) or step < 0 or (step and div % step):
            raise ValueError(f'test_cfg shift_step must be 0 or a divisor of '
                             f'{div} (the model\'s size divisor), got '
                             f'{step!r}')

    def grid_shifts(self) -> List[Tuple[int, int]]:
        """(dy, dx) offsets of the shift averaging (``test_cfg``)."""
        step = self.test_cfg['shift_step']
        offsets = range(0, self.size_divisor, step) if step else [0]
        return [(dy, dx) for dy in offsets for dx in offsets]

    def needs_tiling(self, height: int, width: int) -> bool:
        """Whether :meth:`predict` tiles an input of this size."""
        cfg = self.test_cfg
        return bool(cfg['tile_size']) and \
            height * width > cfg['tile_threshold']

    @staticmethod
    def check_inputs(inputs) -> None:
        """Raise a clear error unless ``inputs`` is a (N, 2, C, H, W)
        tensor."""
        if not isinstance(inputs, torch.Tensor):
            raise TypeError('inputs must be a torch.Tensor of shape '
                            f'(N, 2, C, H, W), got {type(inputs).__name__}')
        if inputs.dim() != 5 or inputs.shape[1] != 2:
            raise ValueError('inputs must have shape (N, 2, C, H, W) (two '
                             f'stacked sources), got {tuple(inputs.shape)}')

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[FusionDataSample]] = None,
                mode: str = 'tensor'):
        """Dispatch to :meth:`loss`, :meth:`predict` or :meth:`_forward`.

        Args:
            inputs (Tensor): (N, 2, C, H, W) as produced by the data
                preprocessor.
            data_samples (list[FusionDataSample], optional): Targets / meta.
            mode (str): 'loss', 'predict' or 'tensor'.
        """
        self.check_inputs(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise ValueError(f'invalid mode "{mode}"; expected "loss", '
                         '"predict" or "tensor"')

    @abstractmethod
    def fuse_images(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Fuse a batch whose size is a multiple of ``size_divisor``.

        Args:
            inputs (Tensor): (N, 2, C, H, W).

        Returns:
            dict: ``fused`` (N, 3, H, W) in [0, 1] and optionally ``common``,
            ``unique_a``, ``unique_b``.
        """

    def loss(self, inputs: torch.Tensor,
             data_samples: List[FusionDataSample]) -> dict:
        """Training losses; models without parameters to learn raise."""
        raise NotImplementedError(
            f'{type(self).__name__} cannot be trained: it has no loss(). '
            'Use it with mode="predict" (e.g. in a test loop) only.')

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[List[FusionDataSample]] = None):
        """'tensor' mode: the fused image (N, 3, H, W) by default."""
        return self._fuse_padded(inputs)['fused']

    def _fuse_padded(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Pad to ``size_divisor``, fuse (averaged over
        :meth:`grid_shifts`), crop back and clamp to [0, 1]."""
        h, w = inputs.shape[-2:]
        shifts = self.grid_shifts()
        summed = {}
        for dy, dx in shifts:
            shifted = pad_to_multiple(pad_sides(inputs, top=dy, left=dx),
                                      self.size_divisor)
            outputs = self.fuse_images(shifted)
            if not isinstance(outputs, dict) or 'fused' not in outputs:
                raise TypeError(f'{type(self).__name__}.fuse_images must '
                                'return a dict with at least the key "fused"')
            for k, v in outputs.items():
                if k in PRED_KEYS:
                    v = v[..., dy:dy + h, dx:dx + w]
                    summed[k] = v if k not in summed else summed[k] + v
        return {k: (v / len(shifts)).clamp(0, 1) for k, v in summed.items()}

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[Sequence[FusionDataSample]] = None,
                progress=None) -> List[FusionDataSample]:
        """Fuse a batch and store ``pred_fused`` (and ``pred_common``,
        ``pred_unique_a``, ``pred_unique_b`` when the model has them).

        Args:
            inputs (Tensor): (N, 2, C, H, W), any H, W.
            data_samples (list[FusionDataSample], optional): One per sample;
                created (with ``ori_shape``) if not given.
            progress (callable, optional): ``progress(done, total)`` after
                each tile of a tiled fusion.

        Returns:
            list[FusionDataSample]: The data samples with predictions.
        """
        self.check_inputs(inputs)
        num = inputs.shape[0]
        if data_samples is None:
            data_samples = [
                FusionDataSample(
                    metainfo=dict(ori_shape=tuple(inputs.shape[-2:])))
                for _ in range(num)
            ]
        if len(data_samples) != num:
            raise ValueError(f'got {len(data_samples)} data samples for a '
                             f'batch of {num} inputs')
        if self.needs_tiling(*inputs.shape[-2:]):
            outputs = fuse_tiled(self._fuse_padded, inputs,
                                 self.test_cfg['tile_size'],
                                 self.test_cfg['tile_overlap'], progress)
        else:
            outputs = self._fuse_padded(inputs)
        for i, sample in enumerate(data_samples):
            for key, value in outputs.items():
                pred = value[i]
                if key == 'fused':
                    pred = restore_colour(pred, sample)
                setattr(sample, f'pred_{key}', pred)
        return list(data_samples)
