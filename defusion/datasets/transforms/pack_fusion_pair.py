"""Packing a loaded fusion pair into model inputs and a data sample."""
import numpy as np
import torch

from defusion.registry import TRANSFORMS
from defusion.structures import FusionDataSample
from defusion.utils.colour import rgb_to_ycbcr
from .load_image_pair import BaseTransform

COLOUR_MODES = ('luminance', 'rgb')


def _as_tensor(image: np.ndarray) -> torch.Tensor:
    """(H, W, C) float array -> (C, H, W) float32 tensor."""
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))


def fuse_chroma(cbcr_a: torch.Tensor, cbcr_b: torch.Tensor) -> torch.Tensor:
    """Fuse the chroma of two colour sources per pixel and channel.

    Each chroma value is weighted by its distance to neutral grey (0.5):
    ``(Ca |Ca - .5| + Cb |Cb - .5|) / (|Ca - .5| + |Cb - .5|)``, the usual
    rule when both sources carry colour.

    Args:
        cbcr_a, cbcr_b (Tensor): (2, H, W) in [0, 1].

    Returns:
        Tensor: (2, H, W) in [0, 1].
    """
    wa = (cbcr_a - 0.5).abs()
    wb = (cbcr_b - 0.5).abs()
    total = wa + wb
    fused = (cbcr_a * wa + cbcr_b * wb) / total.clamp_min(1e-8)
    return torch.where(total > 1e-8, fused, 0.5 * (cbcr_a + cbcr_b))


def pack_pair(img_a: np.ndarray, img_b: np.ndarray,
              colour_mode: str = 'luminance'):
    """Turn two float (H, W, C) sources into inputs (2, 3, H, W) and colour.

    Args:
        img_a, img_b (np.ndarray): float32 (H, W, C) in [0, 1], C in {1, 3}.
        colour_mode (str): 'luminance' (fuse Y, restore CbCr later) or 'rgb'.

    Returns:
        tuple: ``(inputs, cbcr)``: inputs (2, 3, H, W) float32; cbcr is the
        (2, H, W) chroma to restore or None (rgb mode, or both sources grey).
        For 'luminance' with two colour sources the chroma is fused with
        :func:`fuse_chroma`.
    """
    if colour_mode not in COLOUR_MODES:
        raise ValueError(f'colour_mode must be one of {COLOUR_MODES}, got '
                         f'{colour_mode!r}')
    sources, chromas = [], []
    for image in (img_a, img_b):
        tensor = _as_tensor(image).float()
        if tensor.shape[0] == 3 and colour_mode == 'luminance':
            ycbcr = rgb_to_ycbcr(tensor)
            chromas.append(ycbcr[1:])
            tensor = ycbcr[:1]
        sources.append(tensor.expand(3, -1, -1))
    inputs = torch.stack(sources).contiguous()
    cbcr = None
    if len(chromas) == 1:
        cbcr = chromas[0].contiguous()
    elif len(chromas) == 2:
        cbcr = fuse_chroma(*chromas)
    return inputs, cbcr


@TRANSFORMS.register_module()
class PackFusionPair(BaseTransform):
    """Pack a real pair for a fusion model.

    Required keys: ``img_a``, ``img_b`` (float32 (H, W, C) in [0, 1], C in
    {1, 3}), ``img_a_path``, ``img_b_path``.

    Output: ``{'inputs': Tensor (2, 3, H, W), 'data_samples':
    FusionDataSample}``. The data sample has metainfo ``img_a_path``,
    ``img_b_path``, ``ori_shape``, ``colour_mode``, ``source_channels``
    (channels of each source as loaded) and, for ``colour_mode='luminance'``
    with at least one colour source, the field ``cbcr`` (2, H, W).

    Args:
        colour_mode (str): 'luminance': a colour source is reduced to its Y
            (BT.601) and grey sources are replicated to 3 channels; the
            colour source's CbCr is kept in ``cbcr`` and put back by
            ``restore_colour``. Both sources grey -> grey output. 'rgb': the
            sources are fused in RGB (grey sources replicated).
            Defaults to 'luminance'.
    """

    def __init__(self, colour_mode: str = 'luminance'):
        if colour_mode not in COLOUR_MODES:
            raise ValueError(f'colour_mode must be one of {COLOUR_MODES}, '
                             f'got {colour_mode!r}')
        self.colour_mode = colour_mode

    def transform(self, results: dict) -> dict:
        img_a, img_b = results['img_a'], results['img_b']
        inputs, cbcr = pack_pair(img_a, img_b, self.colour_mode)
        data_sample = FusionDataSample()
        data_sample.set_metainfo(
            dict(
                img_a_path=results.get('img_a_path'),
                img_b_path=results.get('img_b_path'),
                ori_shape=tuple(img_a.shape[:2]),
                colour_mode=self.colour_mode,
                source_channels=(img_a.shape[2], img_b.shape[2])))
        if cbcr is not None:
            data_sample.cbcr = cbcr
        return dict(inputs=inputs, data_samples=data_sample)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(colour_mode={self.colour_mode!r})'
