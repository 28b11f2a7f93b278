"""2-iteration train + val of a tiny DeFusion++ UPerNet on generated
64x64 samples in the MSRS segmentation layout, through tools/train.py."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / 'configs' / 'downstream' / \
    'upernet_defusionpp-vit-tiny-p16_1xb2-iter_msrs-seg.py'


def write_msrs_seg(root, split, names):
    rng = np.random.default_rng(len(names))
    for d in ('vi', 'ir', 'Segmentation_labels'):
        (root / split / d).mkdir(parents=True, exist_ok=True)
    for name in names:
        label = np.zeros((64, 64), np.uint8)
        label[16:48, 8:40] = rng.integers(1, 9)
        label[40:, 40:] = rng.integers(1, 9)
        vis = rng.integers(0, 60, (64, 64, 3), dtype=np.uint8)
        vis[label > 0] += 150
        ir = rng.integers(0, 60, (64, 64), dtype=np.uint8)
        ir[label > 0] += 100
        cv2.imwrite(str(root / split / 'vi' / f'{name}.png'), vis)
        cv2.imwrite(str(root / split / 'ir' / f'{name}.png'), ir)
        cv2.imwrite(
            str(root / split / 'Segmentation_labels' / f'{name}.png'), label)


def tiny_seg_config(tmp_path, data_root, checkpoint):
    cfg = Config.fromfile(str(CONFIG))
    m = cfg.model
    m.backbone.backbone = dict(type='DeFusionViT', arch='small-test',
                               img_size=224, drop_path_rate=0.)
    m.backbone.neck = dict(type='CUDNeck', embed_dims=32, num_heads=2,
                           dropout=0.)
    m.backbone.init_cfg.checkpoint = str(checkpoint)
    m.data_preprocessor.size = (64, 64)
    m.decode_head.in_channels = [8, 16, 32, 32]
    m.decode_head.channels = 16
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        loader.num_workers = 0
        loader.persistent_workers = False
        loader.dataset.data_root = str(data_root)
        for t in loader.dataset.pipeline:
            if t.type in ('Resize', 'RandomResize'):
                t.scale = (64, 64)
            if t.type == 'RandomCrop':
                t.crop_size = (64, 64)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    cfg.param_scheduler[0].end = 1
    cfg.param_scheduler[1].end = 2
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint.interval = 2
    path = tmp_path / 'tiny_seg.py'
    cfg.dump(str(path))
    return path


def test_tiny_segmentor_train_and_val(tmp_path):
    import defusion.models  # noqa: F401
    from defusion.registry import MODELS
    data_root = tmp_path / 'MSRS'
    write_msrs_seg(data_root, 'train', ['00001D', '00002D', '00003N'])
    write_msrs_seg(data_root, 'test', ['00004D', '00005N'])
    pp_cfg = Config.fromfile(
        str(REPO / 'configs/_base_/models/defusionpp_vit-small-test.py'))
    checkpoint = tmp_path / 'defusionpp_small.pth'
    torch.save(dict(state_dict=MODELS.build(pp_cfg.model).state_dict()),
               checkpoint)
    config = tiny_seg_config(tmp_path, data_root, checkpoint)
    work_dir = tmp_path / 'work'
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', str(config),
         '--work-dir', str(work_dir)],
        cwd=REPO, capture_output=True, text=True, timeout=240,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    files = list(work_dir.glob('*/vis_data/scalars.json'))
    assert len(files) == 1
    records = [json.loads(ln) for ln in files[0].read_text().splitlines()]
    train = [r for r in records if 'loss' in r]
    assert [r['iter'] for r in train] == [1, 2]
    for r in train:
        assert math.isfinite(r['loss']) and r['loss'] > 0
        assert math.isfinite(r['decode.loss_ce'])
    val = [r for r in records if 'mIoU' in r]
    assert len(val) == 1 and val[0]['step'] == 2
    assert 0.0 <= val[0]['mIoU'] <= 100.0
    assert {'aAcc', 'mAcc'} <= set(val[0])
