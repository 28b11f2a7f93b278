"""FusedImageWriterHook in a real test loop (classical baseline, 2 pairs)."""
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from defusion.engine import FusedImageWriterHook
from defusion.structures import FusionDataSample
from defusion.utils import register_all_modules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / 'shared' / 'data'


def test_hook_names_files_by_source_stem(tmp_path):
    import torch
    hook = FusedImageWriterHook(out_dir=str(tmp_path), write_components=True)
    sample = FusionDataSample(metainfo=dict(img_a_path='x/ir/07.png'))
    sample.pred_fused = torch.full((1, 4, 5), 0.5)
    sample.pred_common = torch.zeros(3, 4, 5)
    plain = FusionDataSample()
    plain.pred_fused = torch.ones(3, 4, 5)
    hook.after_test_iter(None, 0, None, [sample, plain])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        '000001.png', '07.png', '07_common.png']
    assert cv2.imread(str(tmp_path / '07.png'), -1).shape == (4, 5)
    assert cv2.imread(str(tmp_path / '07.png'), -1).max() == 128


@pytest.mark.skipif(not SHARED.is_dir(), reason='shared data not found')
def test_test_loop_writes_fused_images(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # configs use ../shared/data
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(str(REPO / 'configs' / 'fusion' /
                              'average_mri_pet.py'))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.test_dataloader.dataset.indices = 2
    cfg.test_dataloader.num_workers = 0
    cfg.test_evaluator[0].metrics = ['EN', 'SSIM']
    cfg.custom_hooks = [
        dict(type='FusedImageWriterHook', out_dir=str(tmp_path / 'show'))
    ]
    metrics = Runner.from_cfg(cfg).test()
    assert set(metrics) >= {'EN', 'SSIM'} and metrics['EN'] > 0
    written = sorted(p.name for p in (tmp_path / 'show').iterdir())
    assert written == ['11.png', '12.png']
    fused = cv2.imread(str(tmp_path / 'show' / '11.png'), -1)
    assert fused.shape == (256, 256, 3)  # MRI grey + PET colour -> colour
    mri = cv2.imread(str(SHARED / 'fusion/med/mri_pet/mri/11.png'), -1)
    grey = cv2.cvtColor(fused, cv2.COLOR_BGR2GRAY).astype(float)
    assert np.corrcoef(grey.ravel(), mri.ravel())[0, 1] > 0.5
