# The weight-averaged, half-learning-rate recipe continued a third time, from
# its published weights (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a4b99401.pth,
# 264k pairs) for 6,000 more iterations (48k pairs, what fits in one session
# beside the benchmarks): lr 1e-4 after a 100-iteration warm-up, halved at
# 40/80/90/94%, EMAHook momentum 0.001 (the saved checkpoints hold the averaged
# weights). Why: the previous continuation still gained dev VIF
# (0.578 -> 0.595, one pass) and TNO-25 VIF (0.532 -> 0.537).
# A new seed: every earlier run used seed 0, so each continuation replayed the
# same crops, masks and noise (1,273 images); seed 1 draws fresh ones.
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-f6b6bd07.pth
# (iter_6000); restore the starting weights from the git history first:
# git show 05c8f85:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a4b99401.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a4b99401.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 6000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a4b99401.pth'
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
randomness = dict(seed=1)
