# DeFusion++ with a tiny test architecture (width 32, 2 encoder layers,
# 2 heads): for unit tests and smoke runs on CPU, not for results.
_base_ = ['./defusionpp_vit-tiny-p16.py']

embed_dims = 32
num_heads = 2

model = dict(
    backbone=dict(arch='small-test', drop_path_rate=0.),
    neck=dict(embed_dims=embed_dims, num_heads=num_heads),
    common_head=dict(embed_dims=embed_dims, num_heads=num_heads),
    unique_head=dict(embed_dims=embed_dims, num_heads=num_heads),
    fused_head=dict(embed_dims=embed_dims, num_heads=num_heads),
    mfm_head=dict(embed_dims=embed_dims, num_heads=num_heads))
