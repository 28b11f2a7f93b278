from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper

from defusion.registry import MODELS
from defusion.structures import FusionDataSample


@pytest.fixture(autouse=True, scope='module')
def single_thread():
    """The team shares 2 cores: one intra-op thread avoids oversubscription
    stalls (restored after this module)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


CONFIGS = Path(__file__).resolve().parents[1] / 'configs' / '_base_' / 'models'
LOSS_KEYS = {
    'loss_common', 'loss_unique_a', 'loss_unique_b', 'loss_mfm',
    'loss_fused_l1', 'loss_fused_ssim'
}


def build(name='defusionpp_vit-small-test.py'):
    import defusion.models  # noqa: F401
    cfg = Config.fromfile(str(CONFIGS / name))
    return MODELS.build(cfg.model)


def make_batch(n=2, size=(32, 48), seed=0):
    g = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(n):
        gt = {
            k: torch.rand(3, *size, generator=g)
            for k in ('gt_clean', 'gt_common', 'gt_unique_a', 'gt_unique_b')
        }
        samples.append(FusionDataSample(**gt))
    inputs = torch.randn(n, 2, 3, *size, generator=g)
    return inputs, samples


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return build()


def test_loss_keys_and_values(model):
    model.train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == LOSS_KEYS
    for key, value in losses.items():
        assert value.dim() == 0 and torch.isfinite(value) and value > 0, key
    # weights (20, 10, 10, 2, 100, 50) are applied
    assert model.head.loss_common.loss_weight == 20.
    assert model.head.loss_fused_ssim.loss_weight == 50.
    assert model.mfm_head.loss_mfm.loss_weight == 2.


def test_gradients_reach_every_parameter():
    torch.manual_seed(0)
    model = build().train()
    inputs, samples = make_batch()
    sum(model(inputs, samples, mode='loss').values()).backward()
    missing = [
        name for name, p in model.named_parameters()
        if p.requires_grad and (p.grad is None or p.grad.abs().sum() == 0)
    ]
    assert not missing


@pytest.mark.parametrize('size', [(32, 48), (64, 64)])
def test_fuse_images_and_tensor_mode(model, size):
    model.eval()
    inputs, _ = make_batch(2, size)
    with torch.no_grad():
        images = model.fuse_images(inputs)
        feat = model(inputs, mode='tensor')
    for key in ('fused', 'common', 'unique_a', 'unique_b'):
        assert images[key].shape == (2, 3, *size), key
    assert feat.shape == (2, 32, size[0] // 16, size[1] // 16)
    out = model.extract_feat(inputs)
    assert out.grid_size == (size[0] // 16, size[1] // 16)
    assert torch.allclose(feat.flatten(2).transpose(1, 2),
                          out.fused_feat[:, 1:])


def test_predict_pads_and_crops(model):
    model.eval()
    inputs = torch.randn(1, 2, 3, 30, 50)
    samples = [FusionDataSample(metainfo=dict(img_a_path='a', ori_shape=(30,
                                                                         50)))]
    with torch.no_grad():
        out = model(inputs, samples, mode='predict')
        again = model(inputs, mode='predict')
    sample = out[0]
    assert sample.img_a_path == 'a'
    for key in ('pred_fused', 'pred_common', 'pred_unique_a', 'pred_unique_b'):
        value = getattr(sample, key)
        assert value.shape == (3, 30, 50), key
        assert value.min() >= 0 and value.max() <= 1, key
    assert torch.equal(sample.pred_fused, again[0].pred_fused)
    with torch.no_grad():
        feat = model(inputs, mode='tensor')
    assert feat.shape == (1, 32, 2, 4)


def test_bad_inputs(model):
    model.train()
    inputs, samples = make_batch(2, (30, 48))
    with pytest.raises(ValueError, match='multiple of the patch size'):
        model(inputs, samples, mode='loss')
    inputs, samples = make_batch(2)
    del samples[1].gt_common
    with pytest.raises(ValueError, match='gt_common'):
        model(inputs, samples, mode='loss')
    with pytest.raises(ValueError, match='1 data samples for a batch of 2'):
        model(inputs, samples[:1], mode='loss')


def test_train_step_through_preprocessor():
    torch.manual_seed(0)
    model = build()
    inputs, samples = make_batch(2, (32, 32))
    data = dict(inputs=[x.clamp(0, 1) for x in inputs], data_samples=samples)
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    log_vars = model.train_step(data, optim)
    assert 'loss' in log_vars and LOSS_KEYS <= set(log_vars)
    model.eval()
    out = model.val_step(data)
    assert out[0].pred_fused.shape == (3, 32, 32)


def test_adam_reduces_loss_on_fixed_batch():
    torch.manual_seed(0)
    model = build().train()
    inputs, samples = make_batch(2, (32, 32), seed=1)
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for _ in range(25):
        loss = sum(model(inputs, samples, mode='loss').values())
        optim.zero_grad()
        loss.backward()
        optim.step()
        history.append(loss.item())
    first = sum(history[:3]) / 3
    last = sum(history[-3:]) / 3
    assert last < 0.5 * first, history


def test_param_counts_tiny():
    model = build('defusionpp_vit-tiny-p16.py')
    train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    mfm = sum(p.numel() for p in model.mfm_head.parameters())
    inference = train - mfm
    assert train == 13420416 and inference == 12381888
    assert abs(train / 13.4e6 - 1) < 0.05
    assert abs(inference / 12.4e6 - 1) < 0.05


def test_architecture_is_given_once():
    """Width, heads and patch size come from the backbone arch; the mask
    ratio and a loss weight are one config line each."""
    cfg = Config.fromfile(str(CONFIGS / 'defusionpp_vit-tiny-p16.py'))
    cfg.model.backbone.arch = dict(embed_dims=64, num_layers=2, num_heads=4,
                                   cud_num_heads=4, patch_size=8)
    cfg.model.backbone.img_size = 64
    cfg.model.neck.mask_ratio = 0.5
    cfg.model.head.loss_fused.loss_weight = 7.
    model = MODELS.build(cfg.model)
    assert model.neck.embed_dims == 64 and model.neck.mask_ratio == 0.5
    assert model.head.fused_decoder.proj.out_features == 8 * 8 * 3
    assert model.mfm_head.base_grid == (8, 8)
    assert model.size_divisor == 8
    assert model.head.loss_fused.loss_weight == 7.
    inputs, samples = make_batch(1, (32, 32))
    losses = model.train()(inputs, samples, mode='loss')
    assert set(losses) == LOSS_KEYS


def test_old_checkpoint_keys_are_upgraded(model):
    """Checkpoints from before the heads owned their decoders load."""
    state = model.state_dict()
    old = {k.replace('head.common_decoder.', 'common_head.')
           .replace('head.unique_decoder.', 'unique_head.')
           .replace('head.fused_decoder.', 'fused_head.'): v.clone() + 1
           for k, v in state.items()}
    assert 'common_head.proj.weight' in old
    fresh = build()
    fresh.load_state_dict(old)
    assert torch.equal(fresh.head.common_decoder.proj.weight,
                       state['head.common_decoder.proj.weight'] + 1)
