import pytest
import torch

from defusion.models.necks import CUDNeck
from defusion.models.utils import AttnBlock, Block


@pytest.fixture(autouse=True, scope='module')
def single_thread():
    """The team shares 2 cores: one intra-op thread avoids oversubscription
    stalls (restored after this module)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def tokens(length, n=2, dims=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, length, dims, generator=g) for _ in range(4)]


@pytest.mark.parametrize('length', [7, 17])
def test_output_shapes(length):
    neck = CUDNeck(embed_dims=32, num_heads=2)
    out = neck(*tokens(length))
    for key in ('common', 'unique_a', 'unique_b', 'fused', 'fused_feat'):
        assert getattr(out, key).shape == (2, length, 32), key
    assert out.mfm_tokens is None and out.ids_restore is None
    neck.eval()
    out = neck(*tokens(length), grid_size=(1, length - 1))
    parts = neck.decompose(*tokens(length))
    assert set(parts) == {
        'common', 'unique_a', 'unique_b', 'common_shallow', 'unique_a_shallow',
        'unique_b_shallow'
    }
    assert torch.equal(out.common, parts['common'] + parts['common_shallow'])
    assert out.grid_size == (1, length - 1)


def test_masked_fusion_keeps_a_quarter_of_the_tokens():
    neck = CUDNeck(embed_dims=32, num_heads=2, mask_ratio=0.75).eval()
    out = neck(*tokens(1 + 16), mask=True)
    assert out.mfm_tokens.shape == (2, 1 + 4, 32)
    assert out.ids_restore.shape == (2, 16)
    assert sorted(out.ids_restore[0].tolist()) == list(range(16))
    # With nothing masked the masked fusion is the full fusion, in shuffled
    # order: put back, it equals f' of the unmasked path.
    neck.mask_ratio = 0.
    out = neck(*tokens(1 + 16), mask=True)
    restored = torch.gather(
        out.mfm_tokens[:, 1:], 1,
        out.ids_restore.unsqueeze(-1).expand(-1, -1, 32))
    assert torch.allclose(restored, (out.fused_feat - out.fused)[:, 1:],
                          atol=1e-5)
    with pytest.raises(ValueError, match='mask_ratio'):
        CUDNeck(embed_dims=32, num_heads=2, mask_ratio=1.0)


def test_eval_is_symmetric_in_the_sources():
    neck = CUDNeck(embed_dims=32, num_heads=2).eval()
    e1, r1, e2, r2 = tokens(7)
    a = neck(e1, r1, e2, r2)
    b = neck(e2, r2, e1, r1)
    assert torch.allclose(a.common, b.common, atol=1e-5)
    assert torch.allclose(a.unique_a, b.unique_b, atol=1e-5)
    assert torch.allclose(a.fused_feat, b.fused_feat, atol=1e-5)
    # inference common = mean of both orders
    expected = (neck.common_deep(e1, e2) + neck.common_deep(e2, e1)) / 2
    assert torch.allclose(neck.decompose(e1, r1, e2, r2)['common'], expected,
                          atol=1e-6)


def test_training_picks_one_order():
    neck = CUDNeck(embed_dims=32, num_heads=2, dropout=0.).train()
    e1, r1, e2, r2 = tokens(5)
    orders = (neck.common_deep(e1, e2), neck.common_deep(e2, e1))
    seen = set()
    for seed in range(8):
        torch.manual_seed(seed)
        common = neck.decompose(e1, r1, e2, r2)['common']
        match = [torch.allclose(common, o, atol=1e-6) for o in orders]
        assert any(match)
        seen.add(match.index(True))
    assert seen == {0, 1}


def test_attn_block_sources():
    torch.manual_seed(0)
    src1, src2 = torch.randn(2, 5, 32), torch.randn(2, 5, 32)
    block = AttnBlock(32, 2, common=True, dropout=0.).eval()
    # With the attention output switched off, only the src2 residual is left
    # and the output cannot depend on src1.
    torch.nn.init.zeros_(block.attn.out_proj.weight)
    torch.nn.init.zeros_(block.attn.out_proj.bias)
    out = block(src1, src2)
    assert torch.allclose(out, block(torch.randn(2, 5, 32), src2))
    assert not torch.allclose(out, block(src1, torch.randn(2, 5, 32)))
    # The key source only matters when src1 varies: with one constant src1
    # row the values are one vector whatever the attention weights are.
    block = AttnBlock(32, 2, common=False, dropout=0.).eval()
    const = torch.randn(1, 1, 32).expand(2, 5, 32)
    keys_src1, varied_src1 = block(const, src2), block(src1, src2)
    block.common = True
    assert torch.allclose(keys_src1, block(const, src2), atol=1e-5)
    assert not torch.allclose(varied_src1, block(src1, src2), atol=1e-3)
    with pytest.raises(ValueError, match='one shape'):
        block(torch.randn(2, 4, 32), src2)


def test_param_count_tiny():
    neck = CUDNeck(embed_dims=192, num_heads=16)
    attn, block = AttnBlock(192, 16, True), Block(192, 16)
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    # 6 AttnBlocks (C, Cs, U, Us, F, Fs) + 4 Blocks (R, Rs, RB1, RB2)
    assert count(attn) == 556032 and count(block) == 444864
    assert count(neck) == 6 * 556032 + 4 * 444864


def test_gradients_reach_all_params():
    neck = CUDNeck(embed_dims=32, num_heads=2)
    out = neck(*tokens(7), mask=True)
    (out.common.sum() + out.unique_a.sum() + out.unique_b.pow(2).sum()
     + out.fused_feat.pow(2).sum() + out.mfm_tokens.sum()).backward()
    for name, p in neck.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
