# The faded-fill recipe (configs/defusionpp/README.md, "Faded fill") as one
# fresh run that fits a 3-hour CPU session: 6,000 iterations (48k pairs at
# 96 px, ~90 min on 2 quiet cores) from identity init, the same learning-rate
# halvings at 40/80/90/94% of the run.
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px_faded-fill.py']

max_iters = 6000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
