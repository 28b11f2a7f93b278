# The weight-averaged, half-learning-rate recipe continued once more, from its
# published weights (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a82826ea.pth,
# 232k pairs) for 7,000 more iterations (56k pairs, what fits in one session
# beside the benchmarks): lr 1e-4 after a 100-iteration warm-up, halved at
# 40/80/90/94%, EMAHook momentum 0.001 (the saved checkpoints hold the averaged
# weights). Why: the dev VIF of the previous continuation rose at every
# checkpoint up to its last (0.555 -> 0.578, one pass).
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-8000iter_shared-96px_faded-fill-brighten-ema-continued.py']

max_iters = 7000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a82826ea.pth'
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
