# Continuation of the committed long run (configs/defusionpp/README.md,
# "Continued run"): the 12,000-iteration recipe from the weights of
# checkpoints/defusionpp_vit-tiny-p16_shared-pretext-05a82152.pth (10,000
# iterations, stopped at lr 2e-4 before its last halvings), 4,000 more
# iterations from lr 2e-4 (100-iteration warm-up for the fresh Adam state),
# halved at 40/80/90/94% of them. The learning-curve table chose this over
# changing the pretext mix at that point (see the README).
# That checkpoint was replaced by this run's iter_3500 (081fa9d7), itself replaced
# by the faded-fill-brighten run (a2c9af9b), then by its continuation (5b454a5a); restore them from the git history
# first: git show <commit>:checkpoints/<its name> > checkpoints/<its name>
# (commit 048ca67 for 05a82152, 869286f for 081fa9d7, 44fea0d for a2c9af9b)
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px.py']

max_iters = 4000
load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-05a82152.pth'
optim_wrapper = dict(optimizer=dict(lr=2e-4))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
