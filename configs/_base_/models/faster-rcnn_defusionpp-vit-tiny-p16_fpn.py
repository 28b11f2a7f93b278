# Faster R-CNN + FPN on DeFusion++ (ViT-Tiny/16 encoder, CUD, fusion) with a
# ViTDet-style simple feature pyramid (strides 4, 8, 16, 32; channels
# 48, 96, 192, 192). Input: 6-channel VIS+IR images (LoadVisIRPair).
# The backbone loads a DeFusionPP checkpoint without prefix (its module
# names backbone.* / neck.* equal DeFusionPP's). Override the path with
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
# or train from scratch with  model.backbone.init_cfg=None
# CPU-friendly head (same for every variant): FPN / RoI width 128, RoI fc
# 512, 128 sampled RoIs per image, RoIAlign with 2x2 samples per bin, 300
# proposals per image at test time (mmdet's R-50 defaults: 256, 1024, 512,
# adaptive sampling, 1000). Measured on 2 threads, frozen encoder, batch 2
# at 320x240: mmcv's CPU RoIAlign (forward + backward) took 53% of a 2.03 s
# step with adaptive sampling and 256 RoIs; 2x2 samples and 128 RoIs make
# the step 1.25 s.
_base_ = ['./defusionpp_vit-tiny-p16.py']

pretrained = ('checkpoints/'
              'defusionpp_vit-tiny-p16_shared-pretext-b20a26a0.pth')
num_classes = 3

model = dict(
    _delete_=True,
    type='FasterRCNN',
    data_preprocessor=dict(
        # mmdet's DetDataPreprocessor with one mean / std value per channel
        # (mmengine's accepts only 1 or 3): ImageNet mean / std on the 0-255
        # scale for both sources, as DeFusionPP's FusionDataPreprocessor;
        # no channel swap.
        type='defusion.MultiChannelDetDataPreprocessor',
        mean=[123.675, 116.28, 103.53] * 2,
        std=[58.395, 57.12, 57.375] * 2,
        bgr_to_rgb=False,
        pad_size_divisor=32),
    backbone=dict(
        type='defusion.DeFusionBackbone',
        # the encoder and CUD neck of the DeFusion++ model base
        backbone={{_base_.model.backbone}},
        neck={{_base_.model.neck}},
        mode='fusion',
        out_indices=(0, 1, 2, 3),
        frozen_encoder=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(
        type='FPN',
        in_channels=[48, 96, 192, 192],
        out_channels=128,
        num_outs=5),
    rpn_head=dict(
        type='RPNHead',
        in_channels=128,
        feat_channels=128,
        anchor_generator=dict(
            type='AnchorGenerator',
            scales=[8],
            ratios=[0.5, 1.0, 2.0],
            strides=[4, 8, 16, 32, 64]),
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder',
            target_means=[.0, .0, .0, .0],
            target_stds=[1.0, 1.0, 1.0, 1.0]),
        loss_cls=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
        loss_bbox=dict(type='L1Loss', loss_weight=1.0)),
    roi_head=dict(
        type='StandardRoIHead',
        bbox_roi_extractor=dict(
            type='SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=2),
            out_channels=128,
            featmap_strides=[4, 8, 16, 32]),
        bbox_head=dict(
            type='Shared2FCBBoxHead',
            in_channels=128,
            fc_out_channels=512,
            roi_feat_size=7,
            num_classes=num_classes,
            bbox_coder=dict(
                type='DeltaXYWHBBoxCoder',
                target_means=[0., 0., 0., 0.],
                target_stds=[0.1, 0.1, 0.2, 0.2]),
            reg_class_agnostic=False,
            loss_cls=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            loss_bbox=dict(type='L1Loss', loss_weight=1.0))),
    train_cfg=dict(
        rpn=dict(
            assigner=dict(
                type='MaxIoUAssigner',
                pos_iou_thr=0.7,
                neg_iou_thr=0.3,
                min_pos_iou=0.3,
                match_low_quality=True,
                ignore_iof_thr=-1),
            sampler=dict(
                type='RandomSampler',
                num=256,
                pos_fraction=0.5,
                neg_pos_ub=-1,
                add_gt_as_proposals=False),
            allowed_border=-1,
            pos_weight=-1,
            debug=False),
        rpn_proposal=dict(
            nms_pre=2000,
            max_per_img=1000,
            nms=dict(type='nms', iou_threshold=0.7),
            min_bbox_size=0),
        rcnn=dict(
            assigner=dict(
                type='MaxIoUAssigner',
                pos_iou_thr=0.5,
                neg_iou_thr=0.5,
                min_pos_iou=0.5,
                match_low_quality=False,
                ignore_iof_thr=-1),
            sampler=dict(
                type='RandomSampler',
                num=128,
                pos_fraction=0.25,
                neg_pos_ub=-1,
                add_gt_as_proposals=True),
            pos_weight=-1,
            debug=False)),
    test_cfg=dict(
        rpn=dict(
            nms_pre=1000,
            max_per_img=300,
            nms=dict(type='nms', iou_threshold=0.7),
            min_bbox_size=0),
        rcnn=dict(
            score_thr=0.05,
            nms=dict(type='nms', iou_threshold=0.5),
            max_per_img=100)))
