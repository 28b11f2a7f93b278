# DeFusion++ with the paper's ViT-Tiny/16 encoder (DESIGN section 3):
# 13.4 M parameters to train, 12.4 M for fusion inference (no MFM decoder).
embed_dims = 192
num_heads = 16  # heads of the CUD, fusion, head and MFM blocks
patch_size = 16

model = dict(
    type='DeFusionPP',
    data_preprocessor=dict(
        type='FusionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375]),
    backbone=dict(
        type='DeFusionViT', arch='tiny', img_size=224, drop_path_rate=0.1),
    neck=dict(
        type='CUDNeck',
        embed_dims=embed_dims,
        num_heads=num_heads,
        mlp_ratio=4.,
        dropout=0.1),
    common_head=dict(
        type='FusionImageHead',
        embed_dims=embed_dims,
        num_heads=num_heads,
        patch_size=patch_size),
    unique_head=dict(
        type='FusionImageHead',
        embed_dims=embed_dims,
        num_heads=num_heads,
        patch_size=patch_size),
    fused_head=dict(
        type='FusionImageHead',
        embed_dims=embed_dims,
        num_heads=num_heads,
        patch_size=patch_size),
    mfm_head=dict(
        type='MFMHead',
        embed_dims=embed_dims,
        num_heads=num_heads,
        num_layers=2,
        mask_ratio=0.75,
        patch_size=patch_size,
        img_size=224),
    loss_common=dict(type='L1Loss', loss_weight=20.),
    loss_unique=dict(type='L1Loss', loss_weight=10.),
    loss_mfm=dict(type='L1Loss', loss_weight=2.),
    loss_fused_l1=dict(type='L1Loss', loss_weight=100.),
    loss_fused_ssim=dict(type='SSIMLoss', loss_weight=50., win_size=11),
    size_divisor=patch_size)
