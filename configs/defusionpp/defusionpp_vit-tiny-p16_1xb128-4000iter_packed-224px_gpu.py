# GPU run that fits a 10-minute device lease (tools/gpu_pretrain.sh): the
# paper architecture at the paper's 224 px crops with bf16 autocast, on the
# packed copy of the shared photos (data/pretrain_packed, made by
# tools/dataset_converters/pack_pretrain_photos.py), with the recipe of the
# CPU table (identity init, paper-size mask blocks, faded fill, one pair in
# two clean: defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px_faded-fill.py)
# and, from the start, the brightness jitter that brightens half the crops
# (brighten_prob=0.5; configs/defusionpp/README.md, "Brighten as often as
# darken": without it the model learns to keep the darker source).
# 128 pairs x 4000 iterations = 512k pairs (a fifth of the paper's 2.5 M);
# a TimeBudgetHook ends the run early (with a checkpoint) if the lease would
# run out first.
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px_faded-fill.py']

crop_size = 224
max_iters = 4000
batch_size = 128
data_root = 'data/pretrain_packed/'

train_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(
        type='SynthesizePretextPair',
        crop_size=crop_size,
        grid_reference_size=224,
        clean_pair_prob=0.5,
        fade_prob=1.0,
        brighten_prob=0.5),
    dict(type='PackPretextInputs', keep_sources=False),
]
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=14,
    persistent_workers=True,
    pin_memory=True,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(data_root=data_root))
test_dataloader = val_dataloader

# bf16 autocast comes from tools/gpu_pretrain.sh (--amp --amp-dtype bfloat16)
# so that the same config dry-runs on a CPU.
optim_wrapper = dict(optimizer=dict(lr=8e-4, fused=True))
param_scheduler = [  # 5 % warm-up, then cosine to the end of the run
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end_ratio=0.05),
    dict(type='CosineAnnealingLR', by_epoch=False, begin_ratio=0.05,
         end_ratio=1.0, eta_min=1e-5),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
custom_hooks = [
    dict(type='IdentityInitHook'),
    dict(type='TimeBudgetHook', max_seconds=480),
]
env_cfg = dict(cudnn_benchmark=True)
