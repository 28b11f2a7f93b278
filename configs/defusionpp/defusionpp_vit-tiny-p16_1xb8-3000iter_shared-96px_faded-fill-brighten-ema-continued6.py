# The weight-averaged recipe continued a sixth time, from its published
# weights (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-ab4290c8.pth,
# 408k pairs counted) for 3,000 more iterations (24k pairs), at half the
# learning rate of continued5: lr 2.5e-5 after a 100-iteration warm-up,
# halved at 40/80/90/94%, EMAHook momentum 0.001, randomness.seed=4.
# Why: halving the peak lr (1e-4 -> 5e-5) in continued5 made the early loss
# of dev VIF small (0.6014 -> 0.5865 at iter_1000, where the runs at 1e-4 lost
# 0.03) and the run ended 0.015 higher; this run asks whether halving again
# keeps the gain going. 3,000 iterations is what fit in a session on a day
# the two cores ran a 1024^2 matrix product at 86 GFLOP/s (340 on earlier
# days; 1.05 s per iteration instead of 0.45). Seed 4 draws crops, masks and
# noise no earlier run drew.
# Pick rule, written before any checkpoint was scored: highest one-pass dev
# VIF among iter_1000, iter_2000, iter_3000 and the mean of ab4290c8 with
# iter_3000, within 0.005 the higher Qabf; published if above ab4290c8's
# 0.6164.
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-3bad6fb1.pth
# (iter_3000: dev VIF 0.6336, Qabf 0.4372). Restore the starting weights from
# the git history first:
# git show 4effde3:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-ab4290c8.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-ab4290c8.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 3000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-ab4290c8.pth'
optim_wrapper = dict(optimizer=dict(lr=2.5e-5))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=4)
