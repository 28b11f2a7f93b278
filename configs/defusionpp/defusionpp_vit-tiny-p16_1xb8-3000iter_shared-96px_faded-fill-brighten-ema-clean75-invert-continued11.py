# The published recipe (three pairs in four clean) continued with one photo in
# two replaced by its negative: from the published
# checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth (464k pairs)
# for 3,000 iterations of batch 8 at 96 px (24k pairs), invert_prob=0.5,
# lr 5e-5 after a 100-iteration warm-up, halved at 40/80/90/94%, EMAHook
# momentum 0.001, randomness.seed=9.
# Why: the published model keeps the darker source where two flat sources
# disagree (the learning curve's flat column: 0.16 for sources at 0.1 and
# 0.9, the average 0.5) and darkens the demo's sky. With the negative as
# likely as the photo, brighten_prob=0.5 and fades toward a uniform grey, the
# pretext is symmetric under x -> 1 - x and under a swap of the sources, so
# the best answer there is the midpoint. lr 5e-5 (twice continued10's) so
# that the change can show within the EMA's ~1,000-iteration memory.
# Pick rule, written before any checkpoint was scored: highest one-pass dev
# VIF among iter_1000, iter_2000, iter_3000 and the mean of 0102335b with
# iter_3000, within 0.005 the higher Qabf; published if above 0102335b's
# 0.6395 (fp16).
# Stopped at 1,000 iterations, not published: dev VIF 0.6294 at 500, 0.6249
# at 1,000, and the flat column fell (0.155, 0.151) instead of rising, so
# the dark pick is not the data's asymmetry (configs/defusionpp/README.md,
# "Negatives half the time").
# Restore the starting weights from the git history first:
# git show 2d520bf:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 3000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth'
train_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(
        type='SynthesizePretextPair',
        grid_reference_size=224,
        clean_pair_prob=0.75,
        fade_prob=1.0,
        brighten_prob=0.5,
        invert_prob=0.5),
    dict(type='PackPretextInputs', keep_sources=False),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=5e-5))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=9)
