"""Read a visible + infrared pair into one 6-channel image."""
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import get

from defusion.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadVisIRPair(BaseTransform):
    """Load the visible image (``img_path``) and the infrared image
    (``ir_path``) of a sample as one (H, W, 6) array: visible RGB, then IR
    (read as grey) replicated to 3 channels.

    Geometric transforms of mmdet / mmseg (Resize, RandomResize, RandomFlip,
    RandomCrop, Pad) work unchanged on the 6 channels, except OpenCV's
    4-channel limits: no ``interpolation='area'``, and ``Pad`` needs
    ``pad_val=dict(img=0.)`` (a float zero). Photometric transforms must
    be wrapped in :class:`VisibleOnly`. Data preprocessors must use
    ``bgr_to_rgb=False`` and 6-value mean / std.

    Required keys: ``img_path``, ``ir_path``.
    Added keys: ``img`` (H, W, 6), ``img_shape``, ``ori_shape``.

    Args:
        to_float32 (bool): Return float32 instead of uint8. Defaults to
            False.
        ir_mode (str): ``'grey'`` (read IR as one channel, replicate to 3)
            or ``'color'`` (keep a 3-channel IR file as RGB). Defaults to
            'grey'.
        imdecode_backend (str): mmcv decode backend. Defaults to 'cv2'.
        backend_args (dict, optional): mmengine file backend arguments.
    """

    def __init__(self,
                 to_float32: bool = False,
                 ir_mode: str = 'grey',
                 imdecode_backend: str = 'cv2',
                 backend_args: Optional[dict] = None):
        if ir_mode not in ('grey', 'color'):
            raise ValueError(f'LoadVisIRPair: ir_mode must be "grey" or '
                             f'"color", got {ir_mode!r}')
        self.to_float32 = to_float32
        self.ir_mode = ir_mode
        self.imdecode_backend = imdecode_backend
        self.backend_args = backend_args

    def _read(self, path: str, flag: str, what: str, sample: str):
        try:
            content = get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            raise FileNotFoundError(
                f'LoadVisIRPair: {what} image of sample "{sample}" not '
                f'found: {path}') from None
        img = mmcv.imfrombytes(
            content,
            flag=flag,
            channel_order='rgb',
            backend=self.imdecode_backend)
        if img is None:
            raise ValueError(f'LoadVisIRPair: cannot decode the {what} '
                             f'image of sample "{sample}": {path}')
        if img.dtype != np.uint8:
            raise TypeError(f'LoadVisIRPair: {path} has dtype {img.dtype}; '
                            'only 8-bit images are supported')
        return img

    def transform(self, results: dict) -> dict:
        sample = results.get('img_path') or results.get('ir_path') or '?'
        for key in ('img_path', 'ir_path'):
            if not results.get(key):
                raise ValueError(
                    f'LoadVisIRPair: sample "{sample}" has no "{key}" '
                    '(visible: img_path, infrared: ir_path)')
        vis = self._read(results['img_path'], 'color', 'visible', sample)
        if self.ir_mode == 'grey':
            ir = self._read(results['ir_path'], 'grayscale', 'infrared',
                            sample)
            ir = np.repeat(ir[..., None], 3, axis=2)
        else:
            ir = self._read(results['ir_path'], 'color', 'infrared', sample)
        if vis.shape[:2] != ir.shape[:2]:
            raise ValueError(
                f'LoadVisIRPair: sample "{sample}": visible size '
                f'{vis.shape[:2]} != infrared size {ir.shape[:2]} '
                f'({results["img_path"]}, {results["ir_path"]})')
        img = np.concatenate([vis, ir], axis=2)
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(to_float32={self.to_float32}, '
                f"ir_mode='{self.ir_mode}', "
                f"imdecode_backend='{self.imdecode_backend}')")
