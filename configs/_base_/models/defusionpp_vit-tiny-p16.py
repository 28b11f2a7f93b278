# DeFusion++ with the paper's ViT-Tiny/16 encoder:
# 13.4 M parameters to train, 12.4 M for fusion inference (no MFM decoder).
# The backbone's ``arch`` is the one place of width, patch size and head
# counts: DeFusionPP fills them into the neck and heads.
model = dict(
    type='DeFusionPP',
    data_preprocessor=dict(
        type='FusionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375]),
    backbone=dict(
        type='DeFusionViT', arch='tiny', img_size=224, drop_path_rate=0.1),
    neck=dict(type='CUDNeck', mlp_ratio=4., dropout=0.1, mask_ratio=0.75),
    head=dict(
        type='DecompositionHead',
        loss_common=dict(type='L1Loss', loss_weight=20.),
        loss_unique=dict(type='L1Loss', loss_weight=10.),
        loss_fused=dict(type='L1Loss', loss_weight=100.),
        loss_fused_ssim=dict(type='SSIMLoss', loss_weight=50., win_size=11)),
    mfm_head=dict(
        type='MFMHead',
        num_layers=2,
        loss=dict(type='L1Loss', loss_weight=2.)),
    # Inference: fuse at the 16 shifts by multiples of 4 px of the 16 px
    # patch grid and average (configs/fusion/README.md, "Shift averaging");
    # shift_step=0 fuses once, 16x faster.
    test_cfg=dict(shift_step=4))
