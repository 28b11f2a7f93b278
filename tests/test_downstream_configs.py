"""Every config in configs/downstream parses and builds its model."""
import os.path as osp
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from defusion.apis.model_hub import REPO_ROOT, RECOMMENDED_MODEL, get_model

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

REPO = Path(__file__).resolve().parents[1]
CONFIGS = sorted((REPO / 'configs' / 'downstream').glob('*.py'))
# the base model configs must name the committed checkpoint, which is the
# recommended model's weights in model-index.yml
PRETRAINED = osp.relpath(get_model(RECOMMENDED_MODEL)[1], REPO_ROOT)
EXPECTED = {
    'faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py':
    ('fusion', PRETRAINED),
    'faster-rcnn_defusionpp-vit-tiny-p16-scratch_fpn_1xb2-iter_msrs361.py':
    ('fusion', None),
    'faster-rcnn_defusionpp-vit-tiny-p16-vis_fpn_1xb2-iter_msrs361.py':
    ('vis', PRETRAINED),
    'faster-rcnn_defusionpp-vit-tiny-p16-ir_fpn_1xb2-iter_msrs361.py':
    ('ir', PRETRAINED),
    'faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb8-amp-iter_msrs361-640px_gpu.py':
    ('fusion', PRETRAINED),
    'upernet_defusionpp-vit-tiny-p16_1xb2-iter_msrs-seg.py':
    ('fusion', PRETRAINED),
    'upernet_defusionpp-vit-tiny-p16_1xb2-iter_fmb-seg.py':
    ('fusion', PRETRAINED),
}


@pytest.fixture(autouse=True, scope='module')
def single_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def models_registry(scope):
    if scope == 'mmdet':
        from mmdet.registry import MODELS
    else:
        from mmseg.registry import MODELS
    return MODELS


def test_all_configs_listed():
    assert sorted(p.name for p in CONFIGS) == sorted(EXPECTED)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.stem)
def test_config_builds_model(path):
    from defusion.downstream import DeFusionBackbone
    cfg = Config.fromfile(str(path))
    mode, checkpoint = EXPECTED[path.name]
    assert cfg.custom_imports.imports == ['defusion.downstream']
    assert cfg.train_cfg.type == 'IterBasedTrainLoop'
    gpu = path.stem.endswith('_gpu')
    assert cfg.train_dataloader.batch_size == (8 if gpu else 2)
    assert cfg.train_dataloader.num_workers == (4 if gpu else 1)
    pre = cfg.model.data_preprocessor
    assert pre.bgr_to_rgb is False
    assert len(pre.mean) == len(pre.std) == 6
    init = cfg.model.backbone.init_cfg
    assert (init and init.checkpoint) == checkpoint
    # the checkpoint path can be overridden from the command line
    cfg.merge_from_dict({'model.backbone.init_cfg.checkpoint': 'x.pth'}
                        if init else {'model.backbone.mode': mode})
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = models_registry(cfg.default_scope).build(cfg.model)
    assert isinstance(model.backbone, DeFusionBackbone)
    assert model.backbone.mode == mode
    assert model.backbone.backbone.embed_dims == 192
    if cfg.default_scope == 'mmdet':
        assert list(cfg.model.neck.in_channels) == \
            list(model.backbone.out_channels) == [48, 96, 192, 192]
        assert model.roi_head.bbox_head.num_classes == 3
    else:
        assert list(cfg.model.decode_head.in_channels) == [48, 96, 192, 192]
        classes = 9 if 'msrs' in path.name else 14
        assert model.decode_head.num_classes == classes
        assert tuple(pre.size) == tuple(cfg.crop_size)


def test_det_config_forward_tensor():
    cfg = Config.fromfile(str(CONFIGS[0]))
    assert cfg.default_scope == 'mmdet'
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = models_registry('mmdet').build(cfg.model).eval()
    with torch.no_grad():
        feats = model.extract_feat(torch.randn(1, 6, 64, 96))
    assert [tuple(f.shape) for f in feats] == [(1, 128, 16, 24),
                                               (1, 128, 8, 12),
                                               (1, 128, 4, 6),
                                               (1, 128, 2, 3),
                                               (1, 128, 1, 2)]
