"""Dataset of aligned image pairs stored in two folders, paired by name."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.dataset import BaseDataset

from defusion.registry import DATASETS

IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')


def _list_by_stem(folder: str, extensions: Sequence[str]) -> Dict[str, str]:
    """Map file stem -> path for the images directly inside ``folder``."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'image folder not found: {folder}')
    by_stem = {}
    for name in sorted(os.listdir(folder)):
        stem, ext = osp.splitext(name)
        if ext.lower() not in extensions or \
                not osp.isfile(osp.join(folder, name)):
            continue
        if stem in by_stem:
            raise ValueError(
                f'two images named {stem!r} in {folder}: '
                f'{osp.basename(by_stem[stem])} and {name}; pairs are '
                'matched by file name without extension')
        by_stem[stem] = osp.join(folder, name)
    if not by_stem:
        raise ValueError(f'no images ({", ".join(extensions)}) found in '
                         f'{folder}')
    return by_stem


def _names_preview(names: Sequence[str], limit: int = 5) -> str:
    names = sorted(names)
    shown = ', '.join(names[:limit])
    more = f', ... ({len(names)} in all)' if len(names) > limit else ''
    return shown + more


def pair_folders(dir_a: str,
                 dir_b: str,
                 stems: Optional[Sequence[str]] = None,
                 extensions: Sequence[str] = IMG_EXTENSIONS) -> List[dict]:
    """Pair the images of two folders by file stem.

    Extensions may differ between the folders (``ir/x.png`` + ``vi/x.jpg``).

    Args:
        dir_a, dir_b (str): The two source folders.
        stems (Sequence[str], optional): Use only these names (e.g. from a
            split file). Defaults to all names.
        extensions (Sequence[str]): Accepted (lower-case) extensions.

    Returns:
        list[dict]: ``dict(img_a_path, img_b_path, name)`` sorted by name.

    Raises:
        FileNotFoundError: A folder is missing.
        ValueError: A folder holds no images, some names have no partner, or
            a name of ``stems`` is missing.
    """
    files_a = _list_by_stem(dir_a, extensions)
    files_b = _list_by_stem(dir_b, extensions)
    if stems is None:
        only_a = set(files_a) - set(files_b)
        only_b = set(files_b) - set(files_a)
        problems = []
        if only_a:
            problems.append(f'{len(only_a)} only in {dir_a}: '
                            f'{_names_preview(only_a)}')
        if only_b:
            problems.append(f'{len(only_b)} only in {dir_b}: '
                            f'{_names_preview(only_b)}')
        if problems:
            raise ValueError('unpaired images (pairs are matched by file '
                             'name without extension): ' +
                             '; '.join(problems))
        stems = sorted(files_a)
    else:
        missing = [s for s in stems if s not in files_a or s not in files_b]
        if missing:
            raise ValueError(
                f'{len(missing)} names of the split are missing from '
                f'{dir_a} or {dir_b}: {_names_preview(missing)}')
    return [
        dict(img_a_path=files_a[s], img_b_path=files_b[s], name=s)
        for s in stems
    ]


@DATASETS.register_module()
class PairedImageDataset(BaseDataset):
    """Aligned source pairs for fusion, e.g. ``<data_root>/ir`` + ``vi``.

    Each sample's data info is ``dict(img_a_path, img_b_path, name)``; the
    pipeline (usually ``LoadImagePair`` + ``PackFusionPair``) reads it.

    Args:
        data_root (str): Root folder of the set.
        img_a_dir (str): Sub-folder of the first source (e.g. 'ir', 'mri').
        img_b_dir (str): Sub-folder of the second source (e.g. 'vi').
        ann_file (str): Optional split file (relative to ``data_root``) with
            one name (file stem) per line. Defaults to '' (all pairs).
        pipeline (list): Transforms. Defaults to ().
        extensions (Sequence[str]): Accepted image extensions.
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset`.
    """

    def __init__(self,
                 data_root: str,
                 img_a_dir: str,
                 img_b_dir: str,
                 ann_file: str = '',
                 pipeline: Sequence = (),
                 extensions: Sequence[str] = IMG_EXTENSIONS,
                 test_mode: bool = True,
                 **kwargs):
        self.img_a_dir = img_a_dir
        self.img_b_dir = img_b_dir
        self.extensions = tuple(e.lower() for e in extensions)
        metainfo = kwargs.pop('metainfo', None) or {}
        metainfo = dict(
            dict(sources=(img_a_dir, img_b_dir)), **dict(metainfo))
        super().__init__(
            data_root=data_root,
            ann_file=ann_file,
            pipeline=list(pipeline),
            test_mode=test_mode,
            metainfo=metainfo,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        dir_a = osp.join(self.data_root, self.img_a_dir)
        dir_b = osp.join(self.data_root, self.img_b_dir)
        stems = None
        if self.ann_file:
            if not osp.isfile(self.ann_file):
                raise FileNotFoundError(
                    f'split file not found: {self.ann_file}')
            with open(self.ann_file) as f:
                stems = [line.strip() for line in f if line.strip()]
            if not stems:
                raise ValueError(f'split file {self.ann_file} is empty')
        return pair_folders(dir_a, dir_b, stems, self.extensions)
