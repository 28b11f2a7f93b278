# DeFusion++ with a tiny test architecture (width 32, 2 encoder layers,
# 2 heads): for unit tests and smoke runs on CPU, not for results. One
# fusion pass (no shift averaging) keeps the tests fast; the averaging has
# its own tests.
_base_ = ['./defusionpp_vit-tiny-p16.py']

model = dict(
    backbone=dict(arch='small-test', drop_path_rate=0.),
    test_cfg=dict(shift_step=0))
