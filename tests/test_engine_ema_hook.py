"""EMAHook continuing a checkpoint of another crop size (smoke config)."""
from pathlib import Path

import torch

from defusion.engine.hooks import EMAHook
from defusion.registry import HOOKS
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
SMOKE = 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'


def _train(train, tmp_path, name, extra):
    config = tmp_path / f'{name}.py'
    config.write_text(
        f"_base_ = ['{REPO / SMOKE}']\n"
        "custom_hooks = [dict(type='EMAHook', momentum=0.01,\n"
        "                     update_buffers=True)]\n"
        "train_cfg = dict(max_iters=2, val_interval=2)\n" + extra)
    train.main([str(config), '--work-dir', str(tmp_path / name),
                '--no-validate'])
    return torch.load(tmp_path / name / 'iter_2.pth', map_location='cpu',
                      weights_only=False)


def _pos_tables(state_dict):
    return {k: tuple(v.shape) for k, v in state_dict.items()
            if k.endswith('backbone.pos_embed')}


def test_config_name_builds_the_defusion_hook():
    assert isinstance(HOOKS.build(dict(type='EMAHook')), EMAHook)


def test_ema_continues_a_checkpoint_of_another_crop_size(
        tmp_path, shared_data, monkeypatch, single_thread):
    monkeypatch.chdir(REPO)
    train = load_tool('train.py')
    first = _train(train, tmp_path, 'at64', '')
    # 64 px: a 4 x 4 grid and the class token.
    assert set(_pos_tables(first['state_dict']).values()) == {(1, 17, 32)}
    # Continued at 96 px: the model and its average keep the 64 px table
    # (interpolated at run time) instead of failing at the first update.
    load = tmp_path / 'at64' / 'iter_2.pth'
    second = _train(train, tmp_path, 'at96',
                    f"crop_size = 96\nload_from = '{load}'\n")
    tables = _pos_tables(second['state_dict'])
    tables.update(_pos_tables(second['ema_state_dict']))
    assert len(tables) >= 2 and set(tables.values()) == {(1, 17, 32)}
    for key, value in second['state_dict'].items():
        assert torch.isfinite(value.float()).all(), key
