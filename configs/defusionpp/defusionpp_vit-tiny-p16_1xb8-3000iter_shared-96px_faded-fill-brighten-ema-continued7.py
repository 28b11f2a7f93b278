# The weight-averaged recipe continued a seventh time, from its published
# weights (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-3bad6fb1.pth,
# 432k pairs counted) for 3,000 more iterations (24k pairs) at the same
# learning rate as continued6: lr 2.5e-5 after a 100-iteration warm-up,
# halved at 40/80/90/94%, EMAHook momentum 0.001, randomness.seed=5.
# Why: continued6 at this rate gained +0.017 dev VIF with no early dip and
# was still rising at its end (0.6317 at iter_2000, 0.6336 at iter_3000);
# this run asks whether the same step from its end keeps gaining. Seed 5
# draws crops, masks and noise no earlier run drew. 3,000 iterations is
# what fits in a session with the benchmarks on a day the two cores ran a
# 1024^2 matrix product at 160 GFLOP/s.
# Pick rule, written before any checkpoint was scored: highest one-pass dev
# VIF among iter_1000, iter_2000, iter_3000 and the mean of 3bad6fb1 with
# iter_3000, within 0.005 the higher Qabf; published if above 3bad6fb1's
# 0.6335 (fp16).
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-02d8dc5e.pth
# (the mean of 3bad6fb1 and iter_3000: dev VIF 0.6362, Qabf 0.4379). Restore
# the starting weights from the git history first:
# git show 059dbb4:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-3bad6fb1.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-3bad6fb1.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 3000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-3bad6fb1.pth'
optim_wrapper = dict(optimizer=dict(lr=2.5e-5))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=5)
