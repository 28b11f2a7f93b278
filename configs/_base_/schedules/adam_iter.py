# Iteration-based schedule for the shared-data setting:
# the paper recipe (Adam (0.9, 0.999), lr halved four times) measured in
# iterations, with a short linear warm-up. The milestones are fractions of
# ``train_cfg.max_iters`` (40/80/90/94 %, as the paper's epochs 20/40/45/47
# of 50), resolved by the tools (defusion.utils.config_resolution), so
# top-level configs and
# ``--cfg-options train_cfg.max_iters=N`` only set the length;
# ``val_interval`` and the checkpoint interval go with it.
# A base may not repeat keys of default_runtime.py, so top-level configs
# using this schedule also set
#   default_hooks = dict(checkpoint=dict(by_epoch=False, interval=...))
#   log_processor = dict(by_epoch=False)
max_iters = 2000
warmup_iters = 100

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=4e-4, betas=(0.9, 0.999), weight_decay=0.))

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=False,
        begin=0,
        end=warmup_iters),
    dict(
        type='MultiStepLR',
        by_epoch=False,
        milestone_ratios=[0.4, 0.8, 0.9, 0.94],
        gamma=0.5),
]

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=500)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

auto_scale_lr = dict(enable=False, base_batch_size=16)
