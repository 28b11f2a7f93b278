"""Loading of natural images for the pretext task."""
import io
from typing import Optional

import mmengine.fileio as fileio
import numpy as np
from PIL import Image, ImageOps

from defusion.registry import TRANSFORMS
from .load_image_pair import BaseTransform


class ImageReadError(OSError):
    """An image file exists in the data list but cannot be decoded."""


def read_rgb_image(img_path: str,
                   backend_args: Optional[dict] = None) -> np.ndarray:
    """Read an image file as RGB float32 in [0, 1].

    Greyscale images are replicated to 3 channels, alpha is dropped, EXIF
    orientation is applied and 16-bit images are scaled by 65535.

    Args:
        img_path (str): Path (or URI understood by ``mmengine.fileio``).
        backend_args (dict, optional): ``mmengine.fileio`` backend args.

    Returns:
        np.ndarray: (H, W, 3) float32 in [0, 1].

    Raises:
        FileNotFoundError: the file does not exist.
        ImageReadError: the file cannot be decoded (corrupt or truncated).
    """
    try:
        img_bytes = fileio.get(img_path, backend_args=backend_args)
    except FileNotFoundError:
        raise FileNotFoundError(f'Image file not found: {img_path}')
    try:
        with Image.open(io.BytesIO(img_bytes)) as pil_img:
            pil_img.load()
            pil_img = ImageOps.exif_transpose(pil_img)
            if pil_img.mode in ('I;16', 'I;16B', 'I;16L', 'I;16N'):
                img = np.asarray(pil_img, dtype=np.float32) / 65535.0
            elif pil_img.mode in ('I', 'F'):
                img = np.asarray(pil_img, dtype=np.float32)
                peak = 65535.0 if img.max() > 255 else 255.0
                img = img / (1.0 if img.max() <= 1.0 else peak)
            else:
                img = np.asarray(
                    pil_img.convert('RGB'), dtype=np.float32) / 255.0
    except Exception as err:  # PIL raises many types for bad files
        raise ImageReadError(
            f'Cannot read image file {img_path}: {err}') from err
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return np.ascontiguousarray(np.clip(img, 0.0, 1.0), dtype=np.float32)


@TRANSFORMS.register_module()
class LoadNaturalImage(BaseTransform):
    """Load an RGB image as float32 in [0, 1].

    Required keys: ``img_path``.
    Added keys: ``img`` (H, W, 3) float32 in [0, 1], ``img_shape`` and
    ``ori_shape`` (H, W).

    Args:
        backend_args (dict, optional): ``mmengine.fileio`` backend args.
            Defaults to None (local disk).
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        self.backend_args = None if backend_args is None else \
            dict(backend_args)

    def transform(self, results: dict) -> dict:
        if 'img_path' not in results:
            raise KeyError('LoadNaturalImage needs the key "img_path" in '
                           f'the results, got keys {sorted(results)}')
        img = read_rgb_image(results['img_path'], self.backend_args)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(backend_args={self.backend_args})'
