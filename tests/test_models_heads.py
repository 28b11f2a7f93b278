import pytest
import torch

from defusion.models.heads import (DecompositionHead, MFMHead,
                                   PatchImageDecoder)
from defusion.models.utils import patchify, unpatchify
from defusion.models.utils.token_masking import gather_tokens, random_masking
from defusion.structures import CUDOutput, FusionDataSample


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
def test_patch_image_decoder_shapes(grid):
    head = PatchImageDecoder(embed_dims=32, num_heads=2)
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


def test_random_masking():
    ids_keep, ids_restore = random_masking(3, 196, 0.75)
    assert ids_keep.shape == (3, 49) and ids_restore.shape == (3, 196)
    for i in range(3):
        assert len(set(ids_keep[i].tolist())) == 49
    tokens = torch.arange(197.).view(1, 197, 1).expand(3, 197, 32)
    kept = gather_tokens(tokens, ids_keep)
    assert kept.shape == (3, 50, 32)
    assert torch.equal(kept[:, 0, 0], torch.zeros(3))  # cls always kept
    assert torch.equal(kept[:, 1:, 0], ids_keep.float() + 1)
    # ids_restore undoes the shuffle: kept patches go back to their place
    order = torch.cat([ids_keep, torch.zeros(3, 147, dtype=torch.long)], 1)
    restored = torch.gather(order, 1, ids_restore)
    for i in range(3):
        assert torch.equal(restored[i, ids_keep[i]], ids_keep[i])
    assert random_masking(1, 12, 0.5)[0].shape == (1, 6)


@pytest.mark.parametrize('grid', [(2, 3), (4, 4)])
def test_mfm_decoder_shapes(grid):
    head = MFMHead(embed_dims=32, num_heads=2)
    length = grid[0] * grid[1]
    ids_keep, ids_restore = random_masking(2, length, 0.75)
    kept = gather_tokens(torch.randn(2, 1 + length, 32), ids_keep)
    img = head(kept, ids_restore, grid)
    assert img.shape == (2, 3, grid[0] * 16, grid[1] * 16)
    img.sum().backward()
    assert head.mask_token.grad is not None
    assert head.mask_token.grad.abs().sum() > 0


def test_decomposition_head_losses_read_the_targets():
    head = DecompositionHead(embed_dims=32, num_heads=2)
    grid = (2, 2)
    out = CUDOutput(*[torch.randn(2, 5, 32) for _ in range(5)], grid)
    g = torch.Generator().manual_seed(0)
    samples = [
        FusionDataSample(**{
            k: torch.rand(3, 32, 32, generator=g)
            for k in ('gt_clean', 'gt_common', 'gt_unique_a', 'gt_unique_b')
        }) for _ in range(2)
    ]
    losses = head.loss(out, samples)
    assert set(losses) == {'loss_common', 'loss_unique_a', 'loss_unique_b',
                           'loss_fused_l1', 'loss_fused_ssim'}
    images = head.predict(out)
    expected = 20 * (images['common'] - torch.stack(
        [s.gt_common for s in samples])).abs().mean()
    assert torch.allclose(losses['loss_common'], expected)
    del samples[0].gt_unique_b
    with pytest.raises(ValueError, match='gt_unique_b'):
        head.loss(out, samples)


def test_mfm_head_loss_needs_masked_tokens():
    head = MFMHead(embed_dims=32, num_heads=2)
    out = CUDOutput(*[torch.randn(1, 5, 32) for _ in range(5)], (2, 2))
    samples = [FusionDataSample(gt_clean=torch.rand(3, 32, 32))]
    with pytest.raises(ValueError, match='mask=True'):
        head.loss(out, samples)
    ids_keep, ids_restore = random_masking(1, 4, 0.75)
    out = out._replace(mfm_tokens=gather_tokens(out.fused, ids_keep),
                       ids_restore=ids_restore)
    assert head.loss(out, samples)['loss_mfm'] > 0


def test_param_counts_tiny():
    assert num_params(PatchImageDecoder()) == 444864 + 192 * 768 + 768
    # mask token + 2 blocks + LN + Linear (position table fixed)
    assert num_params(MFMHead()) == 192 + 2 * 444864 + 384 + 192 * 768 + 768
