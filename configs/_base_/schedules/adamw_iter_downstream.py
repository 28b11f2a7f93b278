# AdamW, iteration based, linear warm-up then cosine decay to 0 at max_iters.
# Changing the length from the command line needs both values, e.g.
#   --cfg-options train_cfg.max_iters=N param_scheduler.1.end=N
max_iters = 2000
val_interval = 500

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999),
                   weight_decay=0.05),
    clip_grad=dict(max_norm=1.0, norm_type=2))

param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0,
         end=100),
    dict(type='CosineAnnealingLR', eta_min=0., by_epoch=False, begin=0,
         end=max_iters),
]

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters,
    val_interval=val_interval)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
