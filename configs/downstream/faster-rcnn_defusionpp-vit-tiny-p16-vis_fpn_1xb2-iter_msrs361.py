# Visible-only baseline: the same detector and pretext checkpoint, but the
# backbone sees the visible image as both of its sources
# (DeFusionBackbone mode='vis'); the IR channels are loaded and ignored.
_base_ = ['./faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py']

model = dict(backbone=dict(mode='vis'))
