# Smoke setting: the tiny test architecture (width 32, 2 encoder layers) on
# 64 px pretext pairs from ../shared/data/pretrain, 4 iterations. Used by the
# tests and as the toy config of the quick start; not for results.
_base_ = [
    '../_base_/models/defusionpp_vit-small-test.py',
    '../_base_/datasets/shared_pretext.py',
    '../_base_/schedules/adam_iter.py',
    '../_base_/default_runtime.py',
]

crop_size = 64
max_iters = 4

train_dataloader = dict(
    batch_size=2,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(data_prefix='val', indices=8))
val_dataloader = dict(
    batch_size=2,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(indices=4))
test_dataloader = val_dataloader

param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=2),
    dict(type='MultiStepLR', by_epoch=False, milestones=[3], gamma=0.5),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=2, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
