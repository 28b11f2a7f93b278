"""Synthesis of a self-supervised pretext pair from one natural image.

Steps: an optional negative, colour jitter, one shared RandomResizedCrop, two
complementary block masks, half-normal noise where a source is masked.
"""
import hashlib
import os
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch

from defusion.registry import TRANSFORMS
from .image_ops import (random_colour_jitter, random_resized_crop_box,
                        resized_crop)
from .load_image_pair import BaseTransform


def block_grid(rng: np.random.Generator, grid: int, keep_prob: float,
               size: Tuple[int, int]) -> np.ndarray:
    """G(g, p): a ``grid`` x ``grid`` Bernoulli(``keep_prob``) grid
    upsampled (nearest) to ``size`` = (H, W).

    Returns:
        np.ndarray: (H, W) float32 of 0 and 1.
    """
    cells = (rng.random((grid, grid)) < keep_prob).astype(np.float32)
    rows = (np.arange(size[0]) * grid) // size[0]
    cols = (np.arange(size[1]) * grid) // size[1]
    return cells[rows[:, None], cols[None, :]]


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], 'little')


@TRANSFORMS.register_module()
class SynthesizePretextPair(BaseTransform):
    """Make two corrupted sources and the decomposition targets from one
    clean image (DeFusion++ pretext task).

    Steps (all randomness from this transform's own generator):

    0. with prob. ``invert_prob`` the photo is replaced by its negative
       ``1 - x``;
    1. colour jitter once (brightness, contrast, saturation factors drawn
       from their ranges, random order, hue unchanged);
    2. one RandomResizedCrop to ``crop_size`` shared by both sources: the
       clean crop ``x``;
    3. block masks: ``p = min_keep_prob + U(0, 1) / keep_prob_divisor``,
       ``g2`` drawn from ``fine_grids``; ``M_i = G(coarse_grid, p) *
       G(g2, p)`` independently for i = a, b; where both are 0 a third mask
       ``M3`` (``G(coarse_grid, p)`` with prob. 1/3, else ``G(g2, p)``) goes
       to M_a and ``1 - M3`` to M_b, so ``M_a OR M_b`` covers every pixel;
       M_a and M_b are swapped with prob. ``swap_prob``;
    4. ``source_i = M_i * x + (1 - M_i) * n_i`` (i = a, b) with
       ``n_i = clip(|N(0, 1)|, 0, 1)`` per pixel and channel (``noise=
       'half_normal'``, the paper's; mean 0.63, brighter than most photos)
       or ``n_i = U(0, 1)`` (``noise='uniform'``, mean 0.5); with prob.
       ``fade_prob`` (per source) the fill is instead a faded copy
       ``n_i = g * x + (1 - g) * l`` (gain ``g ~ U(fade_gain)``, grey level
       ``l ~ U(0, 1)``), a smooth change of intensity and contrast as
       between real sources (a dark sky in one, a bright one in the other);
       with prob. ``brighten_prob`` step 1 brightens instead (the jitter
       runs on the inverted image: ``x -> 1 - jitter(1 - x)``), so that
       clean crops are as often bright as dark;
    5. ``Mc = M_a * M_b``, ``common = Mc * x``, ``unique_i = (M_i - Mc) * x``.

    Required keys: ``img`` (H, W, 3) float32 in [0, 1]; ``img_path`` is used
    in error messages and, with ``deterministic=True``, to seed the draw.

    Added keys (all float32 in [0, 1]; images (h, w, 3), masks (h, w)):
    ``img`` (replaced by the clean crop, the fused target), ``source_a``,
    ``source_b``, ``gt_common``, ``gt_unique_a``, ``gt_unique_b``, ``mask_a``,
    ``mask_b``, ``keep_prob`` (p), ``img_shape`` (h, w).

    Args:
        crop_size (int | tuple[int, int]): Output size (h, w). Defaults to
            224.
        scale (tuple[float, float]): Crop area fraction range.
            Defaults to (0.08, 1.0).
        ratio (tuple[float, float]): Crop aspect ratio (w / h) range.
            Defaults to (3/4, 4/3).
        brightness, contrast, saturation (tuple[float, float] | None): Jitter
            factor ranges; None skips the operation. Defaults to (0.1, 1.0).
        coarse_grid (int): Coarse grid size g. Defaults to 13.
        fine_grids (Sequence[int]): Choices for the fine grid size g2.
            Defaults to (26, 27).
        grid_reference_size (int, optional): The grids are given for crops
            of this size and scaled (rounded) to ``crop_size``, so that the
            blocks keep their size in pixels: with 224 the paper's 13 and
            26/27 cells (17 and 8.6 px blocks) become 6 and 11/12 cells at
            96 px. None (default): the grids are used as given.
        min_keep_prob (float): Lower end of p. Defaults to 0.1.
        keep_prob_divisor (float): p = min_keep_prob + U(0,1) / divisor.
            Defaults to 1.12.
        swap_prob (float): Probability to swap the two masks.
            Defaults to 0.5.
        clean_pair_prob (float): Probability of the limit case p = 1: both
            masks all ones, so both sources are the clean crop (targets:
            common = fused = clean, unique = 0). 0 (the paper's
            distribution, p <= 0.99) by default.
        noise (str): 'half_normal' (default, the paper's) or 'uniform':
            the noise filling the masked blocks.
        fade_prob (float): Probability, per source, that its masked blocks
            hold a faded copy of the clean crop instead of noise. 0 (the
            paper's) by default.
        fade_gain (tuple[float, float]): Range of the faded copy's gain g
            (0: a flat grey block). Defaults to (0, 0.5).
        brighten_prob (float): Probability that the brightness jitter
            blends towards white instead of black (contrast and saturation
            are unchanged by the inversion). With the paper's darkening only
            (0, the default) clean crops are darker than the fill in most
            draws, and the model learns to keep the darker source where the
            two disagree: a bright sky in the visible image is fused black.
        invert_prob (float): Probability that the photo is replaced by its
            negative before step 1. With 0.5, ``brighten_prob=0.5`` and
            fades toward a uniform grey level the pretext distribution is
            unchanged by ``x -> 1 - x`` and by swapping the sources. It does
            not move the fused level of two disagreeing flat sources toward
            their midpoint: the losses set that level (``SSIMLoss`` ``k1``;
            configs/defusionpp/README.md, *Negatives half the time*).
            0 (the paper's) by default.
        min_size (int): Images with a side shorter than this raise a
            ValueError. Defaults to 16.
        seed (int, optional): Seed of the generator. With None the seed is
            drawn from the global numpy RNG the first time the transform runs
            in a process (so it follows mmengine's ``randomness.seed``).
            In a dataloader worker the worker's torch seed is mixed in, so
            workers (and non-persistent workers across epochs) differ.
        deterministic (bool): Draw every image's randomness from a generator
            seeded by ``seed`` (0 if None) and the image file name, so an
            image always yields the same pair (for validation).
            Defaults to False.
    """

    def __init__(self,
                 crop_size: Union[int, Sequence[int]] = 224,
                 scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3 / 4, 4 / 3),
                 brightness: Optional[Sequence[float]] = (0.1, 1.0),
                 contrast: Optional[Sequence[float]] = (0.1, 1.0),
                 saturation: Optional[Sequence[float]] = (0.1, 1.0),
                 coarse_grid: int = 13,
                 fine_grids: Sequence[int] = (26, 27),
                 grid_reference_size: Optional[int] = None,
                 min_keep_prob: float = 0.1,
                 keep_prob_divisor: float = 1.12,
                 swap_prob: float = 0.5,
                 clean_pair_prob: float = 0.,
                 noise: str = 'half_normal',
                 fade_prob: float = 0.,
                 fade_gain: Sequence[float] = (0., 0.5),
                 brighten_prob: float = 0.,
                 invert_prob: float = 0.,
                 min_size: int = 16,
                 seed: Optional[int] = None,
                 deterministic: bool = False) -> None:
        if isinstance(crop_size, int):
            crop_size = (crop_size, crop_size)
        crop_size = tuple(int(s) for s in crop_size)
        if len(crop_size) != 2 or min(crop_size) < 1:
            raise ValueError('crop_size must be a positive int or (h, w), '
                             f'got {crop_size}')
        for name, rng_range in (('scale', scale), ('ratio', ratio)):
            if len(rng_range) != 2 or not 0 < rng_range[0] <= rng_range[1]:
                raise ValueError(f'{name} must be (low, high) with '
                                 f'0 < low <= high, got {rng_range}')
        for name, rng_range in (('brightness', brightness),
                                ('contrast', contrast),
                                ('saturation', saturation)):
            if rng_range is not None and (len(rng_range) != 2 or
                                          not 0 <= rng_range[0] <=
                                          rng_range[1]):
                raise ValueError(f'{name} must be None or (low, high) with '
                                 f'0 <= low <= high, got {rng_range}')
        if coarse_grid < 1 or not fine_grids or min(fine_grids) < 1:
            raise ValueError('coarse_grid and fine_grids must be positive, '
                             f'got {coarse_grid} and {fine_grids}')
        if not 0 <= clean_pair_prob <= 1:
            raise ValueError('clean_pair_prob must be in [0, 1], got '
                             f'{clean_pair_prob}')
        self.clean_pair_prob = float(clean_pair_prob)
        if noise not in ('half_normal', 'uniform'):
            raise ValueError("noise must be 'half_normal' or 'uniform', got "
                             f'{noise!r}')
        self.noise = noise
        if not 0 <= fade_prob <= 1:
            raise ValueError(f'fade_prob must be in [0, 1], got {fade_prob}')
        if len(fade_gain) != 2 or not 0 <= fade_gain[0] <= fade_gain[1] <= 1:
            raise ValueError('fade_gain must be (low, high) with '
                             f'0 <= low <= high <= 1, got {fade_gain}')
        self.fade_prob = float(fade_prob)
        if not 0 <= brighten_prob <= 1:
            raise ValueError('brighten_prob must be in [0, 1], got '
                             f'{brighten_prob}')
        self.brighten_prob = float(brighten_prob)
        if not 0 <= invert_prob <= 1:
            raise ValueError('invert_prob must be in [0, 1], got '
                             f'{invert_prob}')
        self.invert_prob = float(invert_prob)
        self.fade_gain = tuple(float(g) for g in fade_gain)
        if not 0 <= min_keep_prob <= 1 or keep_prob_divisor <= 0:
            raise ValueError('need 0 <= min_keep_prob <= 1 and '
                             f'keep_prob_divisor > 0, got {min_keep_prob} '
                             f'and {keep_prob_divisor}')
        if not 0 <= swap_prob <= 1:
            raise ValueError(f'swap_prob must be in [0, 1], got {swap_prob}')
        self.crop_size = crop_size
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.brightness = None if brightness is None else tuple(brightness)
        self.contrast = None if contrast is None else tuple(contrast)
        self.saturation = None if saturation is None else tuple(saturation)
        if grid_reference_size is not None:
            if grid_reference_size < 1:
                raise ValueError('grid_reference_size must be positive, got '
                                 f'{grid_reference_size}')
            scale = crop_size[0] / grid_reference_size
            coarse_grid = max(1, round(coarse_grid * scale))
            fine_grids = [max(1, round(g * scale)) for g in fine_grids]
        self.grid_reference_size = grid_reference_size
        self.coarse_grid = int(coarse_grid)
        self.fine_grids = tuple(int(g) for g in fine_grids)
        self.min_keep_prob = float(min_keep_prob)
        self.keep_prob_divisor = float(keep_prob_divisor)
        self.swap_prob = float(swap_prob)
        self.min_size = int(min_size)
        self.seed = seed
        self.deterministic = deterministic
        self._rng = None
        self._rng_pid = None

    # ----------------------------------------------------------------- RNG
    def _process_generator(self) -> np.random.Generator:
        """The generator of this process, created on first use."""
        pid = os.getpid()
        if self._rng is None or self._rng_pid != pid:
            base = self.seed
            if base is None:
                base = int(np.random.randint(0, 2**31 - 1))
            entropy = [int(base)]
            worker = torch.utils.data.get_worker_info()
            if worker is not None:
                entropy.append(int(worker.seed) % 2**63)
            self._rng = np.random.default_rng(entropy)
            self._rng_pid = pid
        return self._rng

    def _generator_for(self, results: dict) -> np.random.Generator:
        if not self.deterministic:
            return self._process_generator()
        key = os.path.basename(str(results.get('img_path', '')))
        if not key:
            key = str(results.get('sample_idx', 0))
        return np.random.default_rng(
            [0 if self.seed is None else int(self.seed),
             _stable_hash(key)])

    # --------------------------------------------------------------- masks
    def draw_masks(self, rng: np.random.Generator
                   ) -> Tuple[np.ndarray, np.ndarray, float]:
        """Draw the two complementary block masks.

        Returns:
            tuple: ``mask_a``, ``mask_b`` (h, w) float32 of 0/1 whose union
            is all ones, and the keep probability p.
        """
        size = self.crop_size
        if self.clean_pair_prob and rng.random() < self.clean_pair_prob:
            ones = np.ones(size, np.float32)
            return ones, ones.copy(), 1.0
        keep_prob = self.min_keep_prob + rng.random() / self.keep_prob_divisor
        fine = self.fine_grids[int(rng.integers(len(self.fine_grids)))]
        mask_a = block_grid(rng, self.coarse_grid, keep_prob, size) * \
            block_grid(rng, fine, keep_prob, size)
        mask_b = block_grid(rng, self.coarse_grid, keep_prob, size) * \
            block_grid(rng, fine, keep_prob, size)
        uncovered = (1.0 - mask_a) * (1.0 - mask_b)
        third_grid = self.coarse_grid if rng.integers(3) == 0 else fine
        mask3 = block_grid(rng, third_grid, keep_prob, size)
        mask_a = mask_a + uncovered * mask3
        mask_b = mask_b + uncovered * (1.0 - mask3)
        if rng.random() < self.swap_prob:
            mask_a, mask_b = mask_b, mask_a
        return mask_a, mask_b, float(keep_prob)

    def fade(self, rng: np.random.Generator, clean: np.ndarray,
             noise: np.ndarray) -> np.ndarray:
        """With prob. ``fade_prob``, replace the fill ``noise`` by the faded
        copy ``g * clean + (1 - g) * l`` of the clean crop (h, w, 3)."""
        if rng.random() >= self.fade_prob:
            return noise
        gain = rng.uniform(*self.fade_gain)
        level = rng.random()
        return (gain * clean + (1.0 - gain) * level).astype(np.float32)

    # ----------------------------------------------------------- transform
    def transform(self, results: dict) -> dict:
        img_path = results.get('img_path', '<unknown file>')
        img = results.get('img')
        if not isinstance(img, np.ndarray) or img.ndim != 3 or \
                img.shape[2] != 3:
            shape = getattr(img, 'shape', type(img).__name__)
            raise ValueError(f'{self.__class__.__name__} needs results["img"]'
                             f' as an (H, W, 3) array, got {shape} for '
                             f'{img_path}')
        height, width = img.shape[:2]
        if min(height, width) < self.min_size:
            raise ValueError(f'Image {img_path} is too small for the pretext '
                             f'task: {height}x{width} px, each side must be '
                             f'at least {self.min_size} px')
        rng = self._generator_for(results)
        img = img.astype(np.float32, copy=False)
        if self.invert_prob and rng.random() < self.invert_prob:
            img = 1.0 - img

        ranges = (self.brightness, self.contrast, self.saturation)
        if any(r is not None for r in ranges):
            ranges = [(1.0, 1.0) if r is None else r for r in ranges]
            if self.brighten_prob and rng.random() < self.brighten_prob:
                img = 1.0 - random_colour_jitter(1.0 - img, rng, *ranges)
            else:
                img = random_colour_jitter(img, rng, *ranges)
        box = random_resized_crop_box(height, width, rng, self.scale,
                                      self.ratio)
        clean = resized_crop(img, box, self.crop_size)

        mask_a, mask_b, keep_prob = self.draw_masks(rng)
        m_a, m_b = mask_a[..., None], mask_b[..., None]
        if self.noise == 'uniform':
            noise_a, noise_b = rng.random((2, ) + clean.shape,
                                          dtype=np.float32)
        else:
            noise_a, noise_b = np.minimum(np.abs(rng.standard_normal(
                (2, ) + clean.shape, dtype=np.float32)), 1.0)
        if self.fade_prob:
            noise_a, noise_b = (self.fade(rng, clean, noise)
                                for noise in (noise_a, noise_b))
        common_mask = m_a * m_b

        def f32(array):
            return array.astype(np.float32, copy=False)

        results['img'] = clean
        results['source_a'] = f32(m_a * clean + (1.0 - m_a) * noise_a)
        results['source_b'] = f32(m_b * clean + (1.0 - m_b) * noise_b)
        results['gt_common'] = f32(common_mask * clean)
        results['gt_unique_a'] = f32((m_a - common_mask) * clean)
        results['gt_unique_b'] = f32((m_b - common_mask) * clean)
        results['mask_a'] = mask_a
        results['mask_b'] = mask_b
        results['keep_prob'] = keep_prob
        results['img_shape'] = self.crop_size
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(crop_size={self.crop_size}, '
                f'scale={self.scale}, ratio={self.ratio}, '
                f'brightness={self.brightness}, contrast={self.contrast}, '
                f'saturation={self.saturation}, '
                f'coarse_grid={self.coarse_grid}, '
                f'fine_grids={self.fine_grids}, '
                f'min_keep_prob={self.min_keep_prob}, '
                f'keep_prob_divisor={self.keep_prob_divisor}, '
                f'swap_prob={self.swap_prob}, '
                f'clean_pair_prob={self.clean_pair_prob}, '
                f'noise={self.noise!r}, fade_prob={self.fade_prob}, '
                f'fade_gain={self.fade_gain}, '
                f'brighten_prob={self.brighten_prob}, '
                f'invert_prob={self.invert_prob}, '
                f'min_size={self.min_size}, '
                f'seed={self.seed}, deterministic={self.deterministic})')
