# The faded-fill + brighten recipe continued from the committed weights
# (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth, 128k pairs)
# for 5,000 more iterations (40k pairs, as the two continuations before) with
# the continued schedule (lr 2e-4 after a 100-iteration warm-up, halved at
# 40/80/90/94%), plus an exponential moving average of the weights (EMAHook,
# momentum 0.001: a horizon of about 1,000 iterations); the saved checkpoints
# hold the averaged weights (the raw ones are in their ema_state_dict).
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-c0fd4673.pth
# (iter_5000); restore the starting weights from the git history first:
# git show 527d38b:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth
# Why: on the two continuations' learning curves the dev VIF of neighbouring
# checkpoints swings by up to 0.2 (0.33 to 0.53 within one run), as much as
# the gain of 40k more pairs; averaging the weights over the last ~1,000
# steps removes that step-to-step noise (configs/defusionpp/README.md,
# "Brighten, continued with a weight average").
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-5000iter_shared-96px_faded-fill-brighten-continued.py']

max_iters = 5000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth'
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
custom_hooks = [
    dict(type='IdentityInitHook'),
    dict(type='EMAHook', momentum=0.001, update_buffers=True, priority=49),
]
