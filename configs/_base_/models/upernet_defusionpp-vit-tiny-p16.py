# UPerNet on DeFusion++ (ViT-Tiny/16 encoder, CUD, fusion) with a simple
# feature pyramid (strides 4, 8, 16, 32; channels 48, 96, 192, 192).
# Input: 6-channel VIS+IR images (LoadVisIRPair). Override the checkpoint
# with --cfg-options model.backbone.init_cfg.checkpoint=PATH, or
# model.backbone.init_cfg=None for random init.
_base_ = ['./defusionpp_vit-tiny-p16.py']

pretrained = ('checkpoints/'
              'defusionpp_vit-tiny-p16_shared-pretext-b20a26a0.pth')
num_classes = 9
norm_cfg = dict(type='BN', requires_grad=True)  # SyncBN on several GPUs

model = dict(
    _delete_=True,
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53] * 2,
        std=[58.395, 57.12, 57.375] * 2,
        bgr_to_rgb=False,
        pad_val=0,
        seg_pad_val=255,
        size=None),  # set to the dataset's crop_size in the final config
    backbone=dict(
        type='defusion.DeFusionBackbone',
        # the encoder and CUD neck of the DeFusion++ model base
        backbone={{_base_.model.backbone}},
        neck={{_base_.model.neck}},
        mode='fusion',
        out_indices=(0, 1, 2, 3),
        frozen_encoder=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(
        type='UPerHead',
        in_channels=[48, 96, 192, 192],
        in_index=[0, 1, 2, 3],
        pool_scales=(1, 2, 3, 6),
        channels=256,
        dropout_ratio=0.1,
        num_classes=num_classes,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
