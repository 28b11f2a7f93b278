"""Writing float images to disk."""
import os
import os.path as osp

import cv2
import numpy as np
import torch


def to_uint8(image) -> np.ndarray:
    """Float image in [0, 1] -> uint8 (H, W) or (H, W, 3) RGB.

    Args:
        image (np.ndarray | Tensor): (H, W), (H, W, C) array or (C, H, W)
            tensor, C in {1, 3}.
    """
    if isinstance(image, torch.Tensor):
        image = image.detach().float().cpu().numpy()
        if image.ndim == 3:
            image = image.transpose(1, 2, 0)
    image = np.asarray(image, dtype=np.float32)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError('expected an (H, W) or (H, W, 3) image, got shape '
                         f'{image.shape}')
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def write_image(path: str, image) -> None:
    """Write a float [0, 1] RGB or grey image (8 bit; format from the
    extension, e.g. .png). Creates the parent folder."""
    array = to_uint8(image)
    if array.ndim == 3:
        array = array[..., ::-1]  # RGB -> BGR for OpenCV
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    ext = osp.splitext(path)[1] or '.png'
    ok, encoded = cv2.imencode(ext, np.ascontiguousarray(array))
    if not ok:
        raise ValueError(f'cannot encode an image as {ext!r} for {path}')
    with open(path, 'wb') as f:
        f.write(encoded.tobytes())
