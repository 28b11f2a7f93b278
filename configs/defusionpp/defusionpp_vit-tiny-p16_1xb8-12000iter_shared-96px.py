# Shared-data setting, long CPU run (configs/defusionpp/README.md, "Recipe"):
# the paper architecture (ViT-Tiny/16, 13.4 M parameters) on the ~1.3k
# photos of ../shared/data/pretrain, 96 px pairs, 8 pairs per iteration,
# 12,000 iterations (96k pairs), with the three changes the learning-curve
# table chose over the 800-iteration recipe:
# - IdentityInitHook: start near the identity (PCA patch embedding, zero
#   residual branches, fitted read-outs) instead of random weights;
# - block grids scaled with the crop, so the mask blocks keep the paper's
#   size in pixels (13 and 26/27 cells over 224 px = 17 and 8.6 px);
# - one pair in four is the limit case p = 1 (both sources clean).
# Validation keeps the 800-iteration config's pairs (paper grids) so the
# pretext numbers of both checkpoints compare.
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-800iter_shared-96px.py']

max_iters = 12000

train_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(
        type='SynthesizePretextPair',
        grid_reference_size=224,
        clean_pair_prob=0.25),
    dict(type='PackPretextInputs', keep_sources=False),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

optim_wrapper = dict(optimizer=dict(fused=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=100),
    dict(type='MultiStepLR', by_epoch=False,
         milestone_ratios=[0.4, 0.8, 0.9, 0.94], gamma=0.5),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=-1))
custom_hooks = [dict(type='IdentityInitHook')]
