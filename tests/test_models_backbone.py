import pytest
import torch

from defusion.models.backbones import DeFusionViT
from defusion.models.utils import resize_pos_embed, sincos_pos_embed_2d


@pytest.fixture(autouse=True, scope='module')
def single_thread():
    """The team shares 2 cores: one intra-op thread avoids oversubscription
    stalls (restored after this module)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def num_params(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('size', [(32, 48), (64, 64), (80, 16)])
def test_output_shapes(size):
    torch.manual_seed(0)
    model = DeFusionViT('small-test').eval()
    deep, shallow = model(torch.randn(2, 3, *size))
    length = 1 + (size[0] // 16) * (size[1] // 16)
    assert deep.shape == (2, length, 32)
    assert shallow.shape == (2, length, 32)
    assert torch.isfinite(deep).all() and torch.isfinite(shallow).all()


def test_shallow_tokens_definition():
    model = DeFusionViT('small-test').eval()
    x = torch.randn(1, 3, 32, 32)
    tokens = model.embed(x)
    first = model.blocks[0](tokens)
    expected = model.shallow_norm_pre(tokens) + model.shallow_norm_post(first)
    deep, shallow = model(x)
    assert torch.allclose(shallow, expected, atol=1e-6)
    assert torch.allclose(deep, model.blocks[1](first), atol=1e-6)


def test_arch_presets_and_dict():
    tiny = DeFusionViT('tiny')
    assert tiny.embed_dims == 192 and len(tiny.blocks) == 12
    assert tiny.blocks[0].attn.num_heads == 6
    assert tiny.blocks[-1].attn.num_heads == 12
    assert tiny.blocks[0].drop_path.rate == 0.1
    assert tiny.blocks[-1].drop_path.rate == 0.
    # patch embed + cls + 12 blocks + 2 shallow norms (pos table is fixed)
    assert num_params(tiny) == 5486976
    custom = DeFusionViT(dict(embed_dims=64, num_layers=3, num_heads=4))
    assert len(custom.blocks) == 3 and custom.patch_size == 16
    with pytest.raises(ValueError, match='unknown DeFusionViT arch'):
        DeFusionViT('huge')
    with pytest.raises(ValueError, match='lacks'):
        DeFusionViT(dict(embed_dims=64))
    with pytest.raises(TypeError):
        DeFusionViT(3)


def test_input_not_multiple_of_patch():
    model = DeFusionViT('small-test')
    with pytest.raises(ValueError, match='multiple of the patch size'):
        model(torch.randn(1, 3, 30, 32))


def test_pos_embed_table_and_resize():
    table = sincos_pos_embed_2d(32, (2, 3))
    assert table.shape == (1, 7, 32)
    assert torch.equal(table[0, 0], torch.zeros(32))
    # patch (row 0, col 0): sin(0) = 0, cos(0) = 1 in both halves
    first = table[0, 1]
    assert torch.allclose(first[:8], torch.zeros(8))
    assert torch.allclose(first[8:16], torch.ones(8))
    # column 1 differs from column 0 only in the first (x) half
    assert torch.equal(table[0, 2, 16:], table[0, 1, 16:])
    assert not torch.equal(table[0, 2, :16], table[0, 1, :16])
    same = resize_pos_embed(table, (2, 3), (2, 3))
    assert same is table
    bigger = resize_pos_embed(table, (2, 3), (4, 5))
    assert bigger.shape == (1, 21, 32)
    assert torch.equal(bigger[:, 0], table[:, 0])


def test_pretrained_init_cfg(tmp_path):
    source = DeFusionViT('small-test')
    ckpt = tmp_path / 'model.pth'
    torch.save(
        {'state_dict': {
            f'backbone.{k}': v
            for k, v in source.state_dict().items()
        }}, ckpt)
    target = DeFusionViT(
        'small-test',
        init_cfg=dict(
            type='Pretrained', checkpoint=str(ckpt), prefix='backbone.'))
    assert not torch.equal(target.cls_token, source.cls_token)
    target.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(target.state_dict()[key], value), key


def test_drop_path_only_in_training():
    model = DeFusionViT('small-test', drop_path_rate=0.5)
    x = torch.randn(8, 3, 16, 16)
    model.eval()
    assert torch.equal(model(x)[0], model(x)[0])
    model.train()
    torch.manual_seed(1)
    a = model(x)[0]
    torch.manual_seed(2)
    b = model(x)[0]
    assert not torch.allclose(a, b)


def test_loading_adopts_the_checkpoint_position_table():
    """A 224 px model loading a 96 px checkpoint uses the 6 x 6 table it was
    trained with (no size-mismatch error) and gives the same output."""
    from defusion.models.backbones import DeFusionViT
    torch.manual_seed(0)
    small = DeFusionViT(arch='small-test', img_size=96).eval()
    big = DeFusionViT(arch='small-test', img_size=224).eval()
    assert big.pos_embed.shape[1] == 1 + 14 * 14
    big.load_state_dict(small.state_dict())
    assert big.base_grid == (6, 6) and big.pos_embed.shape[1] == 1 + 36
    x = torch.randn(1, 3, 64, 80)
    torch.testing.assert_close(big(x)[0], small(x)[0])
