"""Colour maths of the whole package, in one place: ITU-R BT.601 luma and
full-range YCbCr (as JPEG and PIL's "L" conversion), for torch tensors
(channels first) and numpy arrays (channels last), and the colour
restoration of a fused output.

Fusion tasks with a grey and a colour source (infrared-visible, medical)
fuse the luminance Y of the colour source with the grey source and put the
colour source's Cb, Cr back on the fused Y; tasks with two colour sources
(multi-exposure, multi-focus) fuse RGB.
"""
import numpy as np
import torch

#: BT.601 luma weights of R, G, B.
BT601_LUMA = (0.299, 0.587, 0.114)

# Full-range BT.601 (JPEG) matrices, values in [0, 1], offset 0.5 on the
# chroma channels.
_RGB_TO_YCBCR = (
    BT601_LUMA,
    (-0.168735892, -0.331264108, 0.5),
    (0.5, -0.418687589, -0.081312411),
)
_YCBCR_TO_RGB = (
    (1.0, 0.0, 1.402),
    (1.0, -0.344136286, -0.714136286),
    (1.0, 1.772, 0.0),
)


def _apply_matrix(image: torch.Tensor, matrix, name: str) -> torch.Tensor:
    if not isinstance(image, torch.Tensor) or image.dim() < 3 or \
            image.shape[-3] != 3:
        shape = tuple(image.shape) if isinstance(image, torch.Tensor) \
            else type(image).__name__
        raise ValueError(f'{name} expects a tensor of shape (..., 3, H, W), '
                         f'got {shape}')
    weight = torch.tensor(matrix, dtype=image.dtype, device=image.device)
    return torch.einsum('ij,...jhw->...ihw', weight, image)


def rgb_to_ycbcr(image: torch.Tensor) -> torch.Tensor:
    """RGB -> YCbCr (BT.601 full range).

    Args:
        image (Tensor): (..., 3, H, W) RGB in [0, 1].

    Returns:
        Tensor: (..., 3, H, W) YCbCr; Y in [0, 1], Cb/Cr in [0, 1] centred
        on 0.5.
    """
    ycbcr = _apply_matrix(image, _RGB_TO_YCBCR, 'rgb_to_ycbcr')
    offset = torch.tensor([0., .5, .5], dtype=image.dtype,
                          device=image.device).view(3, 1, 1)
    return ycbcr + offset


def ycbcr_to_rgb(image: torch.Tensor) -> torch.Tensor:
    """YCbCr (BT.601 full range) -> RGB, not clamped.

    Args:
        image (Tensor): (..., 3, H, W) YCbCr as from :func:`rgb_to_ycbcr`.

    Returns:
        Tensor: (..., 3, H, W) RGB.
    """
    offset = torch.tensor([0., .5, .5], dtype=image.dtype,
                          device=image.device).view(3, 1, 1)
    return _apply_matrix(image - offset, _YCBCR_TO_RGB, 'ycbcr_to_rgb')


def rgb_to_luma(image: torch.Tensor) -> torch.Tensor:
    """(..., 3, H, W) RGB tensor -> (..., 1, H, W) BT.601 luma Y."""
    weight = torch.tensor(BT601_LUMA, dtype=image.dtype, device=image.device)
    return torch.einsum('c,...chw->...hw', weight, image).unsqueeze(-3)


def rgb_to_luma_np(image: np.ndarray) -> np.ndarray:
    """(..., 3) RGB array (channels last) -> (...) BT.601 luma, in the
    array's float type (float64 for integer input)."""
    image = np.asarray(image)
    dtype = image.dtype if image.dtype.kind == 'f' else np.float64
    return image.astype(dtype, copy=False) @ np.asarray(BT601_LUMA, dtype)


def restore_colour(fused: torch.Tensor, data_sample) -> torch.Tensor:
    """Put the colour of the sources back on a fused image.

    - ``colour_mode='luminance'``: the fused luminance is the mean of the
      output channels; with a ``cbcr`` field (2, H, W) the result is the RGB
      image of (Y, Cb, Cr), otherwise (both sources grey) a grey (1, H, W)
      image.
    - ``colour_mode='rgb'`` (or no mode): ``fused`` is returned unchanged,
      except that a pair of grey sources (metainfo ``source_channels`` ==
      (1, 1)) gives a grey (1, H, W) output.

    Args:
        fused (Tensor): Fused image (3, H, W) (or (1, H, W)) in [0, 1].
        data_sample (FusionDataSample): Sample with optional ``colour_mode``
            and ``source_channels`` metainfo and ``cbcr`` field.

    Returns:
        Tensor: (3, H, W) or (1, H, W) in [0, 1].
    """
    if data_sample is None:
        return fused
    metainfo = data_sample.metainfo
    mode = metainfo.get('colour_mode', 'rgb')
    channels = tuple(metainfo.get('source_channels', ()))
    if mode == 'luminance':
        luma = fused.mean(dim=-3, keepdim=True)
        cbcr = data_sample.get('cbcr', None)
        if cbcr is None:
            return luma.clamp(0, 1)
        cbcr = cbcr.to(device=fused.device, dtype=fused.dtype)
        if cbcr.shape[-2:] != luma.shape[-2:]:
            raise ValueError(f'cbcr of shape {tuple(cbcr.shape)} does not '
                             f'match the fused image {tuple(fused.shape)}')
        return ycbcr_to_rgb(torch.cat([luma, cbcr], dim=-3)).clamp(0, 1)
    if mode != 'rgb':
        raise ValueError(f'unknown colour_mode {mode!r}; expected '
                         "'luminance' or 'rgb'")
    if channels == (1, 1) and fused.shape[-3] == 3:
        return fused.mean(dim=-3, keepdim=True)
    return fused
