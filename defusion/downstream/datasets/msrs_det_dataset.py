"""MSRS detection pairs (visible + infrared) with YOLO box labels."""
import math
import os.path as osp
from typing import List

from mmdet.datasets import BaseDetDataset
from PIL import Image

from defusion.registry import DATASETS


@DATASETS.register_module()
class MSRSDetDataset(BaseDetDataset):
    """Aligned visible / infrared pairs with YOLO ``.txt`` boxes.

    Layout (``shared/data/detection/msrs361``)::

        data_root/
            vi/<name>.jpg           visible (RGB)
            ir/<name>.png           infrared (grey)
            labels_fused/<name>.txt ``class cx cy w h`` normalised to [0, 1]
            splits/train.txt        one <name> per line (ann_file)

    Each data info has ``img_path`` (visible), ``ir_path``, ``img_id``
    (index in the split), ``height``, ``width`` and ``instances``
    (``bbox`` [x1, y1, x2, y2] in pixels, ``bbox_label``, ``ignore_flag``),
    the format mmdet's ``LoadAnnotations`` and ``CocoMetric`` (without an
    ann_file, with ``instances`` in ``PackDetInputs.meta_keys``) read.

    Label folder: ``labels_fused`` by default, boxes drawn on a fused image,
    i.e. on neither of the compared single modalities (see
    configs/downstream/README.md: labels_vi misses most people at night,
    labels_ir has fewer cars). Switch with ``data_prefix=dict(...,
    label='labels_vi')``. A missing label file means "no objects".

    Args:
        ann_file (str): Split file with one name per line.
        data_prefix (dict): Folders ``img`` (visible), ``ir`` and ``label``.
        img_suffix (str): Visible file suffix. Defaults to '.jpg'.
        ir_suffix (str): Infrared file suffix. Defaults to '.png'.
        label_suffix (str): Label file suffix. Defaults to '.txt'.
        **kwargs: Other ``BaseDetDataset`` arguments (``filter_cfg`` with
            ``filter_empty_gt`` and ``min_size`` is honoured).
    """

    METAINFO = dict(
        classes=('person', 'bicycle', 'car'),
        palette=[(220, 20, 60), (119, 11, 32), (0, 0, 142)])

    def __init__(self,
                 *args,
                 data_prefix: dict = dict(
                     img='vi', ir='ir', label='labels_fused'),
                 img_suffix: str = '.jpg',
                 ir_suffix: str = '.png',
                 label_suffix: str = '.txt',
                 **kwargs):
        self.img_suffix = img_suffix
        self.ir_suffix = ir_suffix
        self.label_suffix = label_suffix
        super().__init__(*args, data_prefix=data_prefix, **kwargs)

    def _read_names(self) -> List[str]:
        if not self.ann_file or not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'MSRSDetDataset: split file (ann_file) '
                                    f'not found: {self.ann_file!r}')
        with open(self.ann_file) as f:
            names = [line.strip() for line in f if line.strip()]
        if not names:
            raise ValueError(f'MSRSDetDataset: split file {self.ann_file} '
                             'is empty')
        return names

    def _parse_labels(self, path: str, width: int, height: int) -> list:
        instances = []
        if not osp.isfile(path):
            return instances
        num_classes = len(self.metainfo['classes'])
        with open(path) as f:
            lines = f.readlines()
        for lineno, line in enumerate(lines, 1):
            fields = line.split()
            if not fields:
                continue
            try:
                if len(fields) != 5:
                    raise ValueError
                label = int(fields[0])
                cx, cy, w, h = (float(v) for v in fields[1:])
                if not all(map(math.isfinite, (cx, cy, w, h))):
                    raise ValueError
            except ValueError:
                raise ValueError(f'MSRSDetDataset: {path}:{lineno}: expected '
                                 f'"class cx cy w h", got {line.strip()!r}'
                                 ) from None
            if not 0 <= label < num_classes:
                raise ValueError(f'MSRSDetDataset: {path}:{lineno}: class '
                                 f'{label} is not in 0..{num_classes - 1}')
            x1 = min(max((cx - w / 2) * width, 0.), width)
            y1 = min(max((cy - h / 2) * height, 0.), height)
            x2 = min(max((cx + w / 2) * width, 0.), width)
            y2 = min(max((cy + h / 2) * height, 0.), height)
            if x2 - x1 < 1e-3 or y2 - y1 < 1e-3:
                continue  # nothing left inside the image
            instances.append(
                dict(bbox=[x1, y1, x2, y2], bbox_label=label, ignore_flag=0))
        return instances

    def load_data_list(self) -> List[dict]:
        """One data info per name of the split file."""
        for key in ('img', 'ir', 'label'):
            if key not in self.data_prefix:
                raise ValueError(f'MSRSDetDataset: data_prefix needs "{key}",'
                                 f' got {self.data_prefix}')
        for key in ('img', 'ir'):
            if not osp.isdir(self.data_prefix[key]):
                raise FileNotFoundError(f'MSRSDetDataset: {key} folder not '
                                        f'found: {self.data_prefix[key]}')
        if not osp.isdir(self.data_prefix['label']):
            raise FileNotFoundError('MSRSDetDataset: label folder not found: '
                                    f'{self.data_prefix["label"]}')
        data_list = []
        for img_id, name in enumerate(self._read_names()):
            img_path = osp.join(self.data_prefix['img'],
                                name + self.img_suffix)
            ir_path = osp.join(self.data_prefix['ir'], name + self.ir_suffix)
            for what, path in (('visible', img_path), ('infrared', ir_path)):
                if not osp.isfile(path):
                    raise FileNotFoundError(f'MSRSDetDataset: {what} image of '
                                            f'sample "{name}" not found: '
                                            f'{path}')
            with Image.open(img_path) as im:
                width, height = im.size
            with Image.open(ir_path) as im:
                if im.size != (width, height):
                    raise ValueError(
                        f'MSRSDetDataset: sample "{name}": visible size '
                        f'{(width, height)} != infrared size {im.size} '
                        '(W, H)')
            label_path = osp.join(self.data_prefix['label'],
                                  name + self.label_suffix)
            data_list.append(
                dict(
                    img_path=img_path,
                    ir_path=ir_path,
                    img_id=img_id,
                    height=height,
                    width=width,
                    instances=self._parse_labels(label_path, width, height)))
        return data_list

    def filter_data(self) -> List[dict]:
        """Drop samples without boxes (``filter_empty_gt``) or smaller than
        ``min_size``; nothing in test mode."""
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        empty = self.filter_cfg.get('filter_empty_gt', False)
        min_size = self.filter_cfg.get('min_size', 0)
        return [
            info for info in self.data_list
            if not (empty and not info['instances'])
            and min(info['width'], info['height']) >= min_size
        ]
