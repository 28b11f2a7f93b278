# The weight-averaged recipe continued an eighth time, from the published
# mean of 3bad6fb1 and continued7's iter_3000
# (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-02d8dc5e.pth, 456k
# pairs counted) for 3,000 more iterations (24k pairs), the same schedule as
# continued6 and continued7 (lr 2.5e-5 after a 100-iteration warm-up, halved
# at 40/80/90/94%, EMAHook momentum 0.001), randomness.seed=6.
# Why: continued7 gained only +0.003 dev VIF (0.6335 -> 0.6362) where
# continued6 gained +0.017 at the same rate; this run asks whether that was
# the dev subset's noise (10 pairs) or the rate's gains running out.
# Pick rule, written before any checkpoint was scored: highest one-pass dev
# VIF among iter_1000, iter_2000, iter_3000 and the mean of 02d8dc5e with
# iter_3000, within 0.005 the higher Qabf; published if above 02d8dc5e's
# 0.6362 (fp16).
# Result: every checkpoint below the start (best, the mean: dev VIF 0.6338);
# not published.
# Restore the starting weights from the git history first:
# git show b4218d9:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-02d8dc5e.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-02d8dc5e.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 3000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-02d8dc5e.pth'
optim_wrapper = dict(optimizer=dict(lr=2.5e-5))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=6)
