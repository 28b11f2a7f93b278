"""Schedules as fractions of max_iters, TimeBudgetHook and IdentityInitHook
on the smoke config."""
import json
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from defusion.utils.config_resolution import (resolve_config,
                                              resolve_schedule)
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
SMOKE = 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'
LONG = 'configs/defusionpp/defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px.py'


def test_milestones_follow_max_iters():
    cfg = Config.fromfile(str(REPO / LONG))
    cfg.merge_from_dict({'train_cfg.max_iters': 1000})
    resolve_schedule(cfg)
    assert cfg.param_scheduler[1].milestones == [400, 800, 900, 940]
    assert 'milestone_ratios' not in cfg.param_scheduler[1]
    cfg = Config(dict(param_scheduler=[dict(type='CosineAnnealingLR',
                                            end_ratio=0.5)],
                      train_cfg=dict(max_iters=30)))
    resolve_schedule(cfg)
    assert cfg.param_scheduler[0].end == 15
    with pytest.raises(ValueError, match='max_iters'):
        resolve_schedule(Config(dict(param_scheduler=[
            dict(type='MultiStepLR', milestone_ratios=[0.5])])))


def test_the_800_iteration_config_keeps_its_milestones():
    cfg = Config.fromfile(str(
        REPO / 'configs/defusionpp/'
        'defusionpp_vit-tiny-p16_1xb8-800iter_shared-96px.py'))
    resolve_schedule(cfg)
    assert cfg.param_scheduler[1].milestones == [320, 640, 720, 752]


def test_the_published_run_config():
    """The config of the committed checkpoint's run: 15,000 iterations,
    lr halved at 6,000 and 12,000, the recipe hooks of the long config."""
    cfg = Config.fromfile(str(
        REPO / 'configs/defusionpp/'
        'defusionpp_vit-tiny-p16_1xb8-15000iter_shared-96px.py'))
    resolve_schedule(cfg)
    assert cfg.train_cfg.max_iters == cfg.train_cfg.val_interval == 15000
    assert cfg.param_scheduler[1].milestones == [6000, 12000, 13500, 14100]
    assert [h.type for h in cfg.custom_hooks] == ['IdentityInitHook']
    synth = cfg.train_dataloader.dataset.pipeline[1]
    assert synth.clean_pair_prob == 0.25 and synth.grid_reference_size == 224


def test_time_budget_and_identity_init_hooks(tmp_path, shared_data,
                                             monkeypatch, single_thread):
    monkeypatch.chdir(REPO)
    train = load_tool('train.py')
    config = tmp_path / 'budget.py'
    config.write_text(
        f"_base_ = ['{REPO / SMOKE}']\n"
        "custom_hooks = [dict(type='IdentityInitHook', num_images=4),\n"
        "                dict(type='TimeBudgetHook', max_seconds=1e-6)]\n"
        "train_cfg = dict(max_iters=50, val_interval=50)\n")
    train.main([str(config), '--work-dir', str(tmp_path / 'w')])
    work = tmp_path / 'w'
    # The budget is spent after the first iteration: it is the last one,
    # saved and validated as the planned last iteration would be.
    assert sorted(p.name for p in work.glob('iter_*.pth')) == ['iter_1.pth']
    log = next(work.glob('*/*.log')).read_text()
    assert 'IdentityInitHook: content_dims=24' in log
    assert 'TimeBudgetHook' in log
    scalars = [json.loads(line) for line in
               next(work.glob('*/vis_data/scalars.json')).read_text()
               .splitlines()]
    assert any('pretext/psnr_fused' in r for r in scalars)
