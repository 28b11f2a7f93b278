# The weight-averaged recipe (faded fill + brighten, EMAHook momentum 0.001)
# continued from its published weights
# (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c0fd4673.pth, 168k pairs)
# for 8,000 more iterations (64k pairs, what fits in one session beside the
# benchmarks) with the continued schedule at half its learning rate: lr 1e-4
# after a 100-iteration warm-up, halved at 40/80/90/94%. The saved checkpoints
# hold the averaged weights (the raw ones are in their ema_state_dict).
# Why: the learning curve of the first averaged run was still rising at its
# last checkpoint; on it the dev VIF fell while the lr was 2e-4 (0.544 ->
# 0.531 over iterations 500-2,000) and rose at 1e-4 and below (0.531 ->
# 0.561 over 2,000-5,000), so this run starts at 1e-4.
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a82826ea.pth
# (iter_8000); restore the starting weights from the git history first:
# git show c597640:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c0fd4673.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c0fd4673.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-5000iter_shared-96px_faded-fill-brighten-ema.py']

max_iters = 8000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c0fd4673.pth'
optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
