"""Semantic segmentation on visible + infrared pairs (mmseg)."""
import os.path as osp
from typing import List

from mmseg.datasets import BaseSegDataset

from defusion.registry import DATASETS


@DATASETS.register_module()
class VisIRSegDataset(BaseSegDataset):
    """``BaseSegDataset`` whose samples also carry ``ir_path``.

    Visible images are found as in mmseg (``data_prefix['img_path']`` and
    ``img_suffix``, or the names in ``ann_file``); the infrared image of
    ``<dir>/<name><img_suffix>`` is ``data_prefix['ir_path']/<dir>/<name>
    <ir_suffix>`` and must exist. Load pairs with ``LoadVisIRPair``.

    Args:
        ir_suffix (str): Infrared file suffix. Defaults to '.png'.
        data_prefix (dict): ``img_path`` (visible), ``ir_path`` and
            ``seg_map_path`` folders.
        **kwargs: Other ``BaseSegDataset`` arguments.
    """

    def __init__(self,
                 ir_suffix: str = '.png',
                 data_prefix: dict = dict(
                     img_path='', ir_path='', seg_map_path=''),
                 **kwargs):
        self.ir_suffix = ir_suffix
        super().__init__(data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> List[dict]:
        name = type(self).__name__
        for key in ('img_path', 'ir_path', 'seg_map_path'):
            folder = self.data_prefix.get(key)
            if not folder:
                raise ValueError(f'{name}: data_prefix needs "{key}", got '
                                 f'{self.data_prefix}')
            if not osp.isdir(folder):
                raise FileNotFoundError(f'{name}: {key} folder not found: '
                                        f'{folder}')
        data_list = super().load_data_list()
        if not data_list:
            raise ValueError(f'{name}: no "*{self.img_suffix}" image found '
                             f'in {self.data_prefix["img_path"]}')
        img_dir = self.data_prefix['img_path']
        ir_dir = self.data_prefix['ir_path']
        for info in data_list:
            rel = osp.relpath(info['img_path'], img_dir)
            stem = rel[:-len(self.img_suffix)] if self.img_suffix else rel
            ir_path = osp.join(ir_dir, stem + self.ir_suffix)
            if not osp.isfile(ir_path):
                raise FileNotFoundError(f'{name}: infrared image of sample '
                                        f'"{stem}" not found: {ir_path}')
            info['ir_path'] = ir_path
        return data_list


@DATASETS.register_module()
class MSRSSegDataset(VisIRSegDataset):
    """MSRS segmentation (Tang et al., PIAFusion / SeAFusion), 9 classes;
    label 0 is the class ``background`` and is evaluated.

    Public layout: ``{train,test}/{vi,ir,Segmentation_labels}/<name>.png``;
    pass e.g. ``data_prefix=dict(img_path='train/vi', ir_path='train/ir',
    seg_map_path='train/Segmentation_labels')``.
    """

    METAINFO = dict(
        classes=('background', 'car', 'person', 'bike', 'curve', 'car_stop',
                 'guardrail', 'color_cone', 'bump'),
        palette=[[0, 0, 0], [64, 0, 128], [64, 64, 0], [0, 128, 192],
                 [0, 0, 192], [128, 128, 0], [64, 64, 128], [192, 128, 128],
                 [192, 64, 0]])

    def __init__(self,
                 img_suffix: str = '.png',
                 ir_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 reduce_zero_label: bool = False,
                 **kwargs):
        super().__init__(
            img_suffix=img_suffix,
            ir_suffix=ir_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            **kwargs)


@DATASETS.register_module()
class FMBSegDataset(VisIRSegDataset):
    """FMB (Liu et al., SegMiF, ICCV 2023), 14 classes. Label 0 is
    "unlabelled" and ignored (``reduce_zero_label=True``), labels 1..14 map
    to the classes below.

    Public layout: ``{train,test}/{Visible,Infrared,Label}/<name>.png``;
    pass e.g. ``data_prefix=dict(img_path='train/Visible',
    ir_path='train/Infrared', seg_map_path='train/Label')``.
    """

    METAINFO = dict(
        classes=('road', 'sidewalk', 'building', 'lamp', 'sign',
                 'vegetation', 'sky', 'person', 'car', 'truck', 'bus',
                 'motorcycle', 'bicycle', 'pole'),
        palette=[[228, 228, 179], [133, 57, 181], [177, 162, 67],
                 [50, 178, 200], [199, 45, 132], [84, 172, 66],
                 [79, 73, 179], [166, 99, 76], [253, 121, 66],
                 [91, 165, 137], [152, 97, 155], [140, 153, 105],
                 [158, 215, 222], [90, 113, 135]])

    def __init__(self,
                 img_suffix: str = '.png',
                 ir_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 reduce_zero_label: bool = True,
                 **kwargs):
        super().__init__(
            img_suffix=img_suffix,
            ir_suffix=ir_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            **kwargs)
