"""2-iteration train + val of a tiny DeFusion++ Faster R-CNN on 4 MSRS
pairs through tools/train.py (the command the measured runs use)."""
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / 'configs' / 'downstream' / \
    'faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py'
SMALL_ENCODER = dict(
    type='DeFusionViT', arch='small-test', img_size=224, drop_path_rate=0.)
SMALL_CUD = dict(type='CUDNeck', embed_dims=32, num_heads=2, dropout=0.)


def save_small_defusionpp(path):
    import defusion.models  # noqa: F401
    from defusion.registry import MODELS
    cfg = Config.fromfile(
        str(REPO / 'configs/_base_/models/defusionpp_vit-small-test.py'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)


def tiny_det_config(tmp_path, msrs, checkpoint):
    names = [ln.strip() for ln in open(msrs / 'splits' / 'train.txt')]
    with_boxes = [n for n in names
                  if (msrs / 'labels_fused' / f'{n}.txt').stat().st_size > 0]
    (tmp_path / 'train.txt').write_text('\n'.join(with_boxes[:4]) + '\n')
    (tmp_path / 'val.txt').write_text('\n'.join(with_boxes[4:6]) + '\n')

    cfg = Config.fromfile(str(CONFIG))
    m = cfg.model
    m.backbone.backbone = SMALL_ENCODER
    m.backbone.neck = SMALL_CUD
    m.backbone.init_cfg.checkpoint = str(checkpoint)
    m.neck.in_channels = [8, 16, 32, 32]
    m.neck.out_channels = 32
    m.rpn_head.in_channels = m.rpn_head.feat_channels = 32
    m.roi_head.bbox_roi_extractor.out_channels = 32
    m.roi_head.bbox_head.in_channels = 32
    m.roi_head.bbox_head.fc_out_channels = 64
    m.train_cfg.rpn.sampler.num = 64
    m.train_cfg.rcnn.sampler.num = 64
    m.test_cfg.rcnn.score_thr = 0.0  # an untrained model still predicts
    for loader, split in ((cfg.train_dataloader, 'train'),
                          (cfg.val_dataloader, 'val')):
        loader.num_workers = 0
        loader.persistent_workers = False
        loader.dataset.data_root = str(msrs)
        loader.dataset.ann_file = str(tmp_path / f'{split}.txt')
        for t in loader.dataset.pipeline:
            if t.type == 'Resize':
                t.scale = (128, 96)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    cfg.param_scheduler[0].end = 1
    cfg.param_scheduler[1].end = 2
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint.interval = 2
    path = tmp_path / 'tiny_det.py'
    cfg.dump(str(path))
    return path


def read_scalars(work_dir):
    files = list(Path(work_dir).glob('*/vis_data/scalars.json'))
    assert len(files) == 1, files
    return [json.loads(line) for line in files[0].read_text().splitlines()]


def test_tiny_detector_train_and_val(tmp_path, shared_data):
    msrs = shared_data / 'detection' / 'msrs361'
    checkpoint = tmp_path / 'defusionpp_small.pth'
    save_small_defusionpp(checkpoint)
    config = tiny_det_config(tmp_path, msrs, checkpoint)
    work_dir = tmp_path / 'work'
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', str(config),
         '--work-dir', str(work_dir)],
        cwd=REPO, capture_output=True, text=True, timeout=240,
        env=dict(__import__('os').environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    log = proc.stdout + proc.stderr
    assert 'DeFusionBackbone' in log or 'defusion' in log
    records = read_scalars(work_dir)
    train = [r for r in records if 'loss' in r]
    assert [r['iter'] for r in train] == [1, 2]
    for r in train:
        for key in ('loss', 'loss_rpn_cls', 'loss_rpn_bbox', 'loss_cls',
                    'loss_bbox'):
            assert math.isfinite(r[key]), (key, r)
        assert r['loss'] > 0
    val = [r for r in records if 'coco/bbox_mAP' in r]
    assert len(val) == 1 and val[0]['step'] == 2
    for key in ('coco/bbox_mAP', 'coco/bbox_mAP_50', 'coco/bbox_mAP_75'):
        assert 0.0 <= val[0][key] <= 1.0, (key, val[0])
    assert list(work_dir.glob('iter_2.pth'))
