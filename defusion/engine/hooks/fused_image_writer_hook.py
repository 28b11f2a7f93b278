"""Hook that writes the fused images of a test run."""
import os.path as osp
from typing import Optional, Sequence

from mmengine.hooks import Hook

from defusion.registry import HOOKS
from defusion.visualization import write_image


@HOOKS.register_module()
class FusedImageWriterHook(Hook):
    """Write ``pred_fused`` of every test sample to ``out_dir``.

    File name: the stem of the sample's ``img_a_path`` (real pairs) or
    ``img_path`` plus ``ext``; samples without a path are numbered.
    ``tools/test.py --show-dir DIR`` adds this hook; in a config:
    ``custom_hooks = [dict(type='FusedImageWriterHook', out_dir='...')]``.

    Args:
        out_dir (str): Output folder (created).
        ext (str): Image format. Defaults to '.png' (8 bit, lossless).
        write_components (bool): Also write ``pred_common`` /
            ``pred_unique_a`` / ``pred_unique_b`` as ``<name>_common.png`` etc.
            Defaults to False.
    """

    priority = 'LOW'

    def __init__(self,
                 out_dir: str,
                 ext: str = '.png',
                 write_components: bool = False):
        self.out_dir = out_dir
        self.ext = ext if ext.startswith('.') else f'.{ext}'
        self.write_components = write_components
        self._count = 0

    def _name(self, sample) -> str:
        path = sample.metainfo.get('img_a_path') or \
            sample.metainfo.get('img_path')
        self._count += 1
        if path:
            return osp.splitext(osp.basename(path))[0]
        return f'{self._count - 1:06d}'

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence] = None) -> None:
        for sample in outputs or []:
            if 'pred_fused' not in sample:
                continue
            name = self._name(sample)
            write_image(
                osp.join(self.out_dir, name + self.ext), sample.pred_fused)
            if not self.write_components:
                continue
            for key in ('common', 'unique_a', 'unique_b'):
                if f'pred_{key}' in sample:
                    write_image(
                        osp.join(self.out_dir, f'{name}_{key}{self.ext}'),
                        getattr(sample, f'pred_{key}'))
