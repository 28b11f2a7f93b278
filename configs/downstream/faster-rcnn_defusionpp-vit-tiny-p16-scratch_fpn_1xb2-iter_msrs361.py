# As faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py, but the
# DeFusion++ backbone is randomly initialised (no pretext checkpoint).
_base_ = ['./faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py']

model = dict(backbone=dict(init_cfg=None))
