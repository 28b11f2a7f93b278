"""Dataset of unlabelled natural images (one or more folders)."""
import os
import os.path as osp
import warnings
from typing import List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.utils import is_abs

from defusion.registry import DATASETS
from defusion.utils.cli import UserDataError
from .transforms.load_natural_image import ImageReadError

NATURAL_IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff')


def scan_images(folder: str, extensions: Sequence[str]) -> List[str]:
    """Paths of the images under ``folder`` (recursive, hidden files and
    folders skipped), sorted by their path relative to ``folder``.

    Args:
        folder (str): Folder to scan.
        extensions (Sequence[str]): Lower-case extensions with the dot; the
            match is case-insensitive.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'image folder not found: {folder}')
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in files:
            if not name.startswith('.') and \
                    osp.splitext(name)[1].lower() in extensions:
                found.append(osp.relpath(osp.join(root, name), folder))
    return [osp.join(folder, rel) for rel in sorted(found)]


@DATASETS.register_module()
class NaturalImageDataset(BaseDataset):
    """Unlabelled natural images for self-supervised pretraining.

    The images are every file with an accepted extension under the folders
    of ``data_prefix`` (recursive; an empty folder is fine as long as the
    whole set is not empty), or the files listed in ``ann_file``. The order
    is deterministic: folders in the given order, files sorted by relative
    path.

    Each data info is ``dict(img_path=...)`` (plus ``sample_idx``). A file
    that cannot be read (``ImageReadError`` or ``FileNotFoundError`` raised
    by the pipeline) is skipped with one warning naming it, and another
    image is returned: a random one in training, the next readable one in
    ``test_mode`` (so validation stays deterministic). If every image is
    unreadable a ``UserDataError`` (a RuntimeError) says so.

    Args:
        data_root (str): Root joined to relative ``data_prefix`` folders and
            to ``ann_file``. Defaults to ''.
        data_prefix (str | Sequence[str] | dict): Image folder(s), relative
            to ``data_root`` or absolute; a dict must be
            ``dict(img_path=folder or folders)``. Defaults to '' (the root).
        ann_file (str): Optional text file, one image path per line relative
            to the (single) image folder; blank lines and lines starting with
            '#' are ignored. Defaults to '' (scan the folders).
        extensions (Sequence[str]): Accepted extensions (case-insensitive).
            Defaults to jpg, jpeg, png, bmp, tif, tiff.
        **kwargs: Other ``mmengine.dataset.BaseDataset`` arguments
            (``pipeline``, ``test_mode``, ``indices``, ``lazy_init``,
            ``max_refetch``, ...).
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Union[str, Sequence[str], dict] = '',
                 ann_file: str = '',
                 extensions: Sequence[str] = NATURAL_IMG_EXTENSIONS,
                 **kwargs) -> None:
        if isinstance(data_prefix, dict):
            if set(data_prefix) != {'img_path'}:
                raise ValueError('data_prefix as a dict must be '
                                 'dict(img_path=folder or list of folders), '
                                 f'got keys {sorted(data_prefix)}')
            data_prefix = data_prefix['img_path']
        if isinstance(data_prefix, str):
            data_prefix = [data_prefix]
        if not data_prefix or \
                not all(isinstance(p, str) for p in data_prefix):
            raise TypeError('data_prefix must be a folder or a non-empty '
                            f'list of folders (str), got {data_prefix!r}')
        if ann_file and len(data_prefix) > 1:
            raise ValueError('ann_file lists paths relative to one image '
                             'folder; got several data_prefix folders '
                             f'{list(data_prefix)}')
        if isinstance(extensions, str):
            extensions = [extensions]
        self.extensions = tuple(
            (e if e.startswith('.') else '.' + e).lower() for e in extensions)
        self._raw_prefixes = list(data_prefix)
        self.img_folders: List[str] = []
        self._broken = set()
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=dict(img_path=''),
            **kwargs)

    def _join_prefix(self) -> None:
        super()._join_prefix()
        self.img_folders = [
            osp.join(self.data_root, prefix)
            if self.data_root and not is_abs(prefix) else prefix
            for prefix in self._raw_prefixes
        ]
        self.img_folders = [osp.normpath(f) if f else '.'
                            for f in self.img_folders]
        self.data_prefix = dict(
            img_path=self.img_folders[0]
            if len(self.img_folders) == 1 else list(self.img_folders))

    def load_data_list(self) -> List[dict]:
        """Collect ``dict(img_path=...)`` for every image."""
        if self.ann_file:
            paths = self._read_ann_file(self.ann_file, self.img_folders[0])
            source = f'ann_file {self.ann_file}'
        else:
            paths = []
            for folder in self.img_folders:
                paths.extend(scan_images(folder, self.extensions))
            source = 'folder(s) ' + ', '.join(self.img_folders)
        if not paths:
            raise ValueError(f'no images ({", ".join(self.extensions)}) '
                             f'found in {source}')
        return [dict(img_path=path) for path in paths]

    @staticmethod
    def _read_ann_file(ann_file: str, folder: str) -> List[str]:
        if not osp.isfile(ann_file):
            raise FileNotFoundError(f'ann_file not found: {ann_file}')
        with open(ann_file, encoding='utf-8') as f:
            lines = [line.strip() for line in f]
        return [
            line if is_abs(line) else osp.join(folder, line)
            for line in lines if line and not line.startswith('#')
        ]

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Run the pipeline; None (and one warning) for an unreadable
        file."""
        data_info = self.get_data_info(idx)
        try:
            return self.pipeline(data_info)
        except (ImageReadError, FileNotFoundError) as err:
            if idx not in self._broken:
                self._broken.add(idx)
                warnings.warn(
                    f'{self.__class__.__name__}: skipping unreadable image '
                    f'{data_info.get("img_path")}: {err}', UserWarning)
            return None

    def _another_index(self, idx: int) -> int:
        """A not-known-broken index to use instead of ``idx``."""
        num = len(self)
        if len(self._broken) >= num:
            example = self.get_data_info(idx).get('img_path')
            raise UserDataError(
                f'{self.__class__.__name__}: all {num} images are '
                f'unreadable (e.g. {example}); check the image folder(s) '
                f'{self.img_folders}')
        if self.test_mode:
            idx = (idx + 1) % num
            while idx in self._broken:
                idx = (idx + 1) % num
            return idx
        idx = int(np.random.randint(0, num))
        while idx in self._broken:
            idx = int(np.random.randint(0, num))
        return idx

    def __getitem__(self, idx: int) -> dict:
        """The pipeline output of image ``idx``, or of a replacement if that
        file is unreadable."""
        if not self._fully_initialized:
            self.full_init()
        for _ in range(self.max_refetch + 1):
            data = self.prepare_data(idx)
            if data is not None:
                return data
            idx = self._another_index(idx)
        raise UserDataError(
            f'{self.__class__.__name__}: no readable image found after '
            f'{self.max_refetch} retries; check {self.img_folders}')
