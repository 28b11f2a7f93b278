# DeFusion++ with a tiny test architecture (width 32, 2 encoder layers,
# 2 heads): for unit tests and smoke runs on CPU, not for results.
_base_ = ['./defusionpp_vit-tiny-p16.py']

model = dict(backbone=dict(arch='small-test', drop_path_rate=0.))
