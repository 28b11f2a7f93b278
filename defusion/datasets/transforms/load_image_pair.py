"""Reading real fusion pairs: two aligned images as float arrays in [0, 1]."""
import os.path as osp
import warnings
from typing import List, Tuple

import cv2
import numpy as np

from defusion.registry import TRANSFORMS

try:  # mmcv is optional for this transform.
    from mmcv.transforms import BaseTransform
except ImportError:  # pragma: no cover - depends on the environment

    class BaseTransform:
        """Minimal stand-in for ``mmcv.transforms.BaseTransform``."""

        def __call__(self, results: dict) -> dict:
            return self.transform(results)

        def transform(self, results: dict) -> dict:
            raise NotImplementedError


# Conversions we tell the user about once per process (16-bit, alpha).
_NOTED = set()


def _note_once(kind: str, message: str) -> None:
    if kind not in _NOTED:
        _NOTED.add(kind)
        warnings.warn(message, UserWarning, stacklevel=3)


def to_float_image(array: np.ndarray,
                   name: str = 'image') -> Tuple[np.ndarray, List[str]]:
    """Convert a decoded image array to float32 (H, W, C) in [0, 1].

    Args:
        array (np.ndarray): (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) array,
            uint8, uint16 or float (floats must already be in [0, 1]).
            Channel order is RGB(A).
        name (str): Name used in error messages (file name or argument).

    Returns:
        tuple: ``(image, notes)``: float32 (H, W, C) with C = 1 (grey) or 3
        (RGB), and a list of strings describing the conversions done
        ('16-bit', 'alpha').
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f'{name}: expected a numpy array, got '
                        f'{type(array).__name__}')
    notes = []
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[2] not in (1, 2, 3, 4) or \
            array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f'{name}: expected an (H, W) or (H, W, 3) image, '
                         f'got shape {tuple(array.shape)}')
    if array.shape[2] in (2, 4):  # grey + alpha, RGB + alpha
        notes.append('alpha')
        array = array[..., :array.shape[2] - 1]
    if array.dtype == np.uint8:
        image = array.astype(np.float32) / 255.
    elif array.dtype == np.uint16:
        notes.append('16-bit')
        image = array.astype(np.float32) / 65535.
    elif np.issubdtype(array.dtype, np.floating):
        image = array.astype(np.float32)
        if not np.isfinite(image).all():
            raise ValueError(f'{name}: float image contains NaN or inf')
        if image.min() < -1e-6 or image.max() > 1 + 1e-6:
            raise ValueError(
                f'{name}: float images must be in [0, 1], got values in '
                f'[{image.min():.4g}, {image.max():.4g}]')
        image = np.clip(image, 0., 1.)
    else:
        raise TypeError(f'{name}: unsupported dtype {array.dtype}; use '
                        'uint8, uint16 or float in [0, 1]')
    return np.ascontiguousarray(image), notes


def read_image(path: str) -> Tuple[np.ndarray, List[str]]:
    """Read an image file as float32 (H, W, C) RGB in [0, 1], C in {1, 3}.

    Grey images stay single-channel, 16-bit images are scaled by 1/65535 and
    an alpha channel is dropped; these conversions are returned as notes.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file cannot be decoded (unreadable or truncated).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'image file not found: {path}')
    with open(path, 'rb') as f:
        data = f.read()
    array = None
    if data:
        # imdecode (unlike imread) returns None for truncated JPEG files.
        array = cv2.imdecode(
            np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise ValueError(f'cannot read image {path}: the file is empty, '
                         'truncated or not an image')
    if array.ndim == 3 and array.shape[2] >= 3:  # BGR(A) -> RGB(A)
        order = [2, 1, 0] + ([3] if array.shape[2] == 4 else [])
        array = array[..., order]
    return to_float_image(array, name=path)


def probe_image(path: str) -> Tuple[Tuple[int, int], List[str]]:
    """Size (H, W) and conversion notes ('16-bit', 'alpha') of an image file
    from its header, without decoding the pixels (a truncated file is only
    found when it is decoded).

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is not an image.
    """
    from PIL import Image, UnidentifiedImageError
    if not osp.isfile(path):
        raise FileNotFoundError(f'image file not found: {path}')
    try:
        with Image.open(path) as img:
            width, height = img.size
            mode = img.mode
    except (UnidentifiedImageError, OSError) as err:
        raise ValueError(f'cannot read image {path}: the file is empty, '
                         f'truncated or not an image ({err})') from None
    notes = []
    if mode.startswith('I;16') or mode == 'I':
        notes.append('16-bit')
    if mode in ('RGBA', 'LA', 'PA') or mode.endswith('A'):
        notes.append('alpha')
    return (height, width), notes


@TRANSFORMS.register_module()
class LoadImagePair(BaseTransform):
    """Load the two aligned source images of a fusion pair.

    Required keys: ``img_a_path``, ``img_b_path``.

    Added keys: ``img_a``, ``img_b`` (float32 (H, W, C) RGB in [0, 1], C = 1
    for grey sources, 3 for colour), ``ori_shape`` and ``img_shape`` (H, W).

    16-bit images are scaled to [0, 1] and alpha channels dropped, with a
    one-time warning. Unreadable or truncated files and pairs of different
    sizes raise ``ValueError`` naming the files.
    """

    def transform(self, results: dict) -> dict:
        images = []
        for key in ('img_a', 'img_b'):
            path = results[f'{key}_path']
            image, notes = read_image(path)
            for note in notes:
                what = ('16-bit image scaled to [0, 1]' if note == '16-bit'
                        else 'alpha channel dropped')
                _note_once(note, f'{what} (first case: {path}); further '
                           'cases are converted silently.')
            images.append(image)
        img_a, img_b = images
        if img_a.shape[:2] != img_b.shape[:2]:
            raise ValueError(
                f'size mismatch: {results["img_a_path"]} is '
                f'{img_a.shape[1]}x{img_a.shape[0]} but '
                f'{results["img_b_path"]} is {img_b.shape[1]}x'
                f'{img_b.shape[0]} (WxH); fusion needs aligned pairs')
        results['img_a'] = img_a
        results['img_b'] = img_b
        results['ori_shape'] = img_a.shape[:2]
        results['img_shape'] = img_a.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
