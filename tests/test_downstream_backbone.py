"""DeFusionBackbone: pyramid shapes, modes, freezing, checkpoint loading."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

pytest.importorskip('mmdet')
pytest.importorskip('mmseg')

from defusion.downstream import DeFusionBackbone  # noqa: E402
from defusion.registry import MODELS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SMALL = dict(
    backbone=dict(type='DeFusionViT', arch='small-test', drop_path_rate=0.),
    neck=dict(type='CUDNeck', embed_dims=32, num_heads=2, dropout=0.))


@pytest.fixture(autouse=True, scope='module')
def single_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def small_backbone(**kwargs):
    cfg = dict(SMALL)
    cfg.update(kwargs)
    return DeFusionBackbone(**cfg)


def small_defusionpp():
    import defusion.models  # noqa: F401
    cfg = Config.fromfile(
        str(REPO / 'configs/_base_/models/defusionpp_vit-small-test.py'))
    return MODELS.build(cfg.model)


@pytest.mark.parametrize('size', [(96, 128), (100, 75)])
def test_pyramid_shapes(size):
    torch.manual_seed(0)
    model = small_backbone().eval()
    with torch.no_grad():
        outs = model(torch.randn(2, 6, *size))
    assert model.out_channels == (8, 16, 32, 32)
    assert len(outs) == 4
    for out, stride, c in zip(outs, (4, 8, 16, 32), (8, 16, 32, 32)):
        h, w = -(-size[0] // stride), -(-size[1] // stride)
        assert tuple(out.shape) == (2, c, h, w)
        assert torch.isfinite(out).all()


def test_out_indices_and_build_from_mmdet_scope():
    from mmdet.registry import MODELS as MMDET_MODELS
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MMDET_MODELS.build(
            dict(type='defusion.DeFusionBackbone', out_indices=(1, 3),
                 **SMALL))
    assert isinstance(model, DeFusionBackbone)
    outs = model.eval()(torch.randn(1, 6, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 16, 8, 8), (1, 32, 2, 2)]


def test_fused_map_matches_defusionpp():
    """The backbone reuses DeFusionPP's encoder + CUD: same weights give the
    same fused feature map as DeFusionPP's 'tensor' mode."""
    torch.manual_seed(0)
    pp = small_defusionpp().eval()
    model = small_backbone().eval()
    missing = model.load_state_dict(pp.state_dict(), strict=False)
    assert not [k for k in missing.missing_keys
                if not k.startswith('pyramid.')]
    vis, ir = torch.randn(1, 3, 48, 64), torch.randn(1, 3, 48, 64)
    with torch.no_grad():
        expected = pp(torch.stack([vis, ir], 1), mode='tensor')
        got = model.fused_map(*model.split_sources(torch.cat([vis, ir], 1)))
    torch.testing.assert_close(got, expected)


def test_single_modality_modes():
    model = small_backbone(mode='vis')
    x = torch.randn(1, 6, 32, 32)
    a, b = model.split_sources(x)
    assert torch.equal(a, x[:, :3]) and torch.equal(b, x[:, :3])
    a, b = small_backbone(mode='ir').split_sources(x)
    assert torch.equal(a, x[:, 3:]) and torch.equal(b, x[:, 3:])
    # visible-only output does not depend on the IR channels
    model.eval()
    y = x.clone()
    y[:, 3:] = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        for o1, o2 in zip(model(x), model(y)):
            torch.testing.assert_close(o1, o2)
    with pytest.raises(ValueError, match='mode'):
        small_backbone(mode='rgb')


def test_bad_input_channels():
    with pytest.raises(ValueError, match=r'\(N, 6, H, W\)'):
        small_backbone()(torch.randn(1, 3, 32, 32))


def test_frozen_encoder():
    model = small_backbone(frozen_encoder=True)
    model.train()
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert not model.backbone.training
    assert all(p.requires_grad for p in model.neck.parameters())
    assert model.pyramid.training
    outs = model(torch.randn(1, 6, 32, 32))
    sum(o.sum() for o in outs).backward()
    assert model.backbone.patch_embed.proj.weight.grad is None
    assert model.pyramid.up2.weight.grad is not None


def test_load_defusionpp_checkpoint_without_prefix(tmp_path):
    torch.manual_seed(1)
    pp = small_defusionpp()
    ckpt = tmp_path / 'defusionpp.pth'
    torch.save(dict(state_dict=pp.state_dict(), meta=dict()), ckpt)
    torch.manual_seed(2)
    model = small_backbone(
        init_cfg=dict(type='Pretrained', checkpoint=str(ckpt)))
    assert not torch.equal(model.backbone.blocks[0].attn.qkv.weight,
                           pp.backbone.blocks[0].attn.qkv.weight)
    model.init_weights()
    saved = torch.load(ckpt, weights_only=False)['state_dict']
    torch.testing.assert_close(model.backbone.blocks[0].attn.qkv.weight,
                               saved['backbone.blocks.0.attn.qkv.weight'])
    torch.testing.assert_close(model.neck.refine_blocks[1].mlp.fc2.weight,
                               saved['neck.refine_blocks.1.mlp.fc2.weight'])


def test_load_downstream_checkpoint_with_prefix(tmp_path):
    torch.manual_seed(3)
    src = small_backbone()
    state = {'backbone.' + k: v for k, v in src.state_dict().items()}
    state['roi_head.fc.weight'] = torch.zeros(2, 2)
    ckpt = tmp_path / 'detector.pth'
    torch.save(dict(state_dict=state), ckpt)
    model = small_backbone(
        init_cfg=dict(
            type='Pretrained', checkpoint=str(ckpt), prefix='backbone.'))
    model.init_weights()
    for key, value in src.state_dict().items():
        torch.testing.assert_close(model.state_dict()[key], value)


def test_load_checkpoint_with_other_position_table(tmp_path):
    """A 64 px pretraining (4 x 4 position table) loads into a backbone
    built for 224 px, which then uses the checkpoint's table."""
    torch.manual_seed(4)
    src = small_backbone(backbone=dict(SMALL['backbone'], img_size=64))
    ckpt = tmp_path / 'pp64.pth'
    torch.save(dict(state_dict=src.state_dict()), ckpt)
    model = small_backbone()
    assert model.backbone.pos_embed.shape[1] == 1 + 14 * 14
    model.load_pretrained(str(ckpt))
    assert model.backbone.base_grid == (4, 4)
    torch.testing.assert_close(model.backbone.pos_embed,
                               src.backbone.pos_embed)
    x = torch.randn(1, 6, 48, 80)
    with torch.no_grad():
        for a, b in zip(src.eval()(x), model.eval()(x)):
            torch.testing.assert_close(a, b)


def test_load_errors(tmp_path):
    model = small_backbone(
        init_cfg=dict(type='Pretrained', checkpoint=str(tmp_path / 'no.pth')))
    with pytest.raises(FileNotFoundError, match='no.pth'):
        model.init_weights()
    ckpt = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'foo.weight': torch.zeros(1)}), ckpt)
    with pytest.raises(ValueError, match='lacks'):
        small_backbone().load_pretrained(str(ckpt))
    with pytest.raises(ValueError, match='prefix'):
        small_backbone().load_pretrained(str(ckpt), prefix='backbone.')
    big = DeFusionBackbone(
        backbone=dict(type='DeFusionViT', arch=dict(
            embed_dims=32, num_layers=2, num_heads=2, mlp_ratio=2.)),
        neck=SMALL['neck'])
    torch.save(dict(state_dict=big.state_dict()), ckpt)
    with pytest.raises(ValueError, match='shape mismatch'):
        small_backbone().load_pretrained(str(ckpt))
