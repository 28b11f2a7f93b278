# Infrared-only baseline: the same detector and pretext checkpoint, but the
# backbone sees the IR image as both of its sources
# (DeFusionBackbone mode='ir'); the visible channels are loaded and ignored.
_base_ = ['./faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py']

model = dict(backbone=dict(mode='ir'))
