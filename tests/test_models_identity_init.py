"""Identity init of DeFusion++."""
import pytest
import torch
from mmengine.registry import init_default_scope

from defusion.models.utils import sincos_pos_embed_2d
from defusion.models.utils.identity_init import (identity_init,
                                                 position_complement)
from defusion.registry import MODELS


pytestmark = pytest.mark.usefixtures('single_thread')


def test_position_complement_is_orthogonal_to_positions_and_ones():
    pos = sincos_pos_embed_2d(192, (6, 6))
    basis = position_complement(pos)
    # 5 column and 5 row differences, one position row, the ones vector
    assert basis.shape == (192, 192 - 12)
    assert torch.allclose(basis.T @ basis, torch.eye(basis.shape[1]),
                          atol=1e-5)
    assert (pos[0] @ basis).abs().max() < 1e-4
    assert (torch.ones(192) @ basis).abs().max() < 1e-4


def build_small_model():
    init_default_scope('defusion')
    from mmengine.config import Config
    cfg = Config.fromfile('configs/_base_/models/defusionpp_vit-small-test.py')
    cfg.model.backbone.img_size = 64
    cfg.model.mfm_head.img_size = 64
    return MODELS.build(cfg.model)


def smooth_images(n, size=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    low = torch.rand(n, 3, size // 16, size // 16, generator=g)
    return torch.nn.functional.interpolate(low, size=size, mode='bilinear',
                                           align_corners=False)


def test_identity_init_model_outputs_the_mean_of_its_sources():
    torch.manual_seed(0)
    model = build_small_model()
    report = identity_init(model, smooth_images(32))
    assert report['content_dims'] == 32 - 8  # 3 + 3 differences, 1 row, ones
    assert report['psnr_fused'] > 30
    model.eval()
    a, b = smooth_images(2, seed=1), smooth_images(2, seed=2)
    inputs = model.data_preprocessor.normalize(torch.stack([a, b], 1))
    with torch.no_grad():
        fused = model.fuse_images(inputs)['fused']
    mse = (fused - (a + b) / 2).pow(2).mean()
    assert -10 * torch.log10(mse) > 25
    # Random init for comparison: nowhere near.
    random_model = build_small_model().eval()
    with torch.no_grad():
        fused = random_model.fuse_images(inputs)['fused']
    assert -10 * torch.log10((fused - (a + b) / 2).pow(2).mean()) < 15
