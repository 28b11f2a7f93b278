# The weight-averaged, half-learning-rate recipe continued a fourth time, from
# its published weights (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-f6b6bd07.pth,
# 312k pairs) for 6,000 more iterations (48k pairs, what fits in one session
# beside the benchmarks and a fresh install): lr 1e-4 after a 100-iteration
# warm-up, halved at 40/80/90/94%, EMAHook momentum 0.001 (the saved
# checkpoints hold the averaged weights). Why: the third continuation, the
# first with a new seed, still gained dev VIF (0.595 -> 0.601, one pass) and
# TNO-25 VIF (0.537 -> 0.546). Seed 2 draws crops, masks and noise that neither
# seed 0 nor seed 1 drew.
# No checkpoint of the run beat f6b6bd07 on dev VIF; the committed
# checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c78efc9a.pth is the mean of
# f6b6bd07 and this run's iter_6000 (tools/model_converters/average_checkpoints.py).
# Restore the starting weights from the git history first:
# git show de548a9:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-f6b6bd07.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-f6b6bd07.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 6000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-f6b6bd07.pth'
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=2)
