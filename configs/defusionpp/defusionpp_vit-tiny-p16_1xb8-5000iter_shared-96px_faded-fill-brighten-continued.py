# The faded-fill + brighten recipe continued from its published weights
# (checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a2c9af9b.pth, 88k pairs)
# for 5,000 more iterations (40k pairs) with the continued schedule: lr 2e-4
# after a 100-iteration warm-up, halved at 40/80/90/94%.
# Why: on the learning-curve table the brighten run's dev VIF was still rising
# at its last checkpoint (0.469, 0.450, 0.479, 0.494 at 2.5k-4k iterations).
# Its iter_5000 is the committed checkpoint (5b454a5a), which replaced a2c9af9b;
# restore the starting weights from the git history first:
# git show 44fea0d:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a2c9af9b.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a2c9af9b.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-4000iter_shared-96px_faded-fill-brighten.py']

max_iters = 5000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-a2c9af9b.pth'
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
