import pytest
import torch

from defusion.models.heads import FusionImageHead, MFMHead
from defusion.models.utils import patchify, unpatchify


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


@pytest.mark.parametrize('grid', [(2, 3), (4, 4)])
def test_fusion_image_head_shapes(grid):
    head = FusionImageHead(embed_dims=32, num_heads=2)
    tokens = torch.randn(2, 1 + grid[0] * grid[1], 32)
    img = head(tokens, grid)
    assert img.shape == (2, 3, grid[0] * 16, grid[1] * 16)


def test_unpatchify_layout():
    # Patch vectors are ordered (row, column, channel) inside each patch.
    patches = torch.zeros(1, 2, 2 * 2 * 3)
    patches[0, 1, (1 * 2 + 0) * 3 + 2] = 1.  # patch 1, row 1, col 0, ch 2
    img = unpatchify(patches, (1, 2), 2)
    assert img.shape == (1, 3, 2, 4)
    assert img[0, 2, 1, 2] == 1. and img.sum() == 1.
    x = torch.randn(2, 3, 32, 48)
    assert torch.equal(unpatchify(patchify(x, 16), (2, 3), 16), x)
    with pytest.raises(ValueError):
        unpatchify(torch.zeros(1, 5, 768), (2, 3), 16)


def test_mfm_masking():
    head = MFMHead(embed_dims=32, num_heads=2, mask_ratio=0.75)
    ids_keep, ids_restore = head.random_masking(3, 196)
    assert ids_keep.shape == (3, 49) and ids_restore.shape == (3, 196)
    for i in range(3):
        assert len(set(ids_keep[i].tolist())) == 49
    tokens = torch.arange(197.).view(1, 197, 1).expand(3, 197, 32)
    kept = MFMHead.gather(tokens, ids_keep)
    assert kept.shape == (3, 50, 32)
    assert torch.equal(kept[:, 0, 0], torch.zeros(3))  # cls always kept
    assert torch.equal(kept[:, 1:, 0], ids_keep.float() + 1)
    # ids_restore undoes the shuffle: kept patches go back to their place
    order = torch.cat([ids_keep, torch.zeros(3, 147, dtype=torch.long)], 1)
    restored = torch.gather(order, 1, ids_restore)
    for i in range(3):
        assert torch.equal(restored[i, ids_keep[i]], ids_keep[i])
    head.mask_ratio = 0.5
    assert head.random_masking(1, 12)[0].shape == (1, 6)
    with pytest.raises(ValueError, match='mask_ratio'):
        MFMHead(mask_ratio=1.0)


@pytest.mark.parametrize('grid', [(2, 3), (4, 4)])
def test_mfm_decoder_shapes(grid):
    head = MFMHead(embed_dims=32, num_heads=2)
    length = grid[0] * grid[1]
    ids_keep, ids_restore = head.random_masking(2, length)
    kept = head.gather(torch.randn(2, 1 + length, 32), ids_keep)
    img = head(kept, ids_restore, grid)
    assert img.shape == (2, 3, grid[0] * 16, grid[1] * 16)
    img.sum().backward()
    assert head.mask_token.grad is not None
    assert head.mask_token.grad.abs().sum() > 0


def test_param_counts_tiny():
    assert num_params(FusionImageHead()) == 444864 + 192 * 768 + 768
    # mask token + 2 blocks + LN + Linear (position table fixed)
    assert num_params(MFMHead()) == 192 + 2 * 444864 + 384 + 192 * 768 + 768
