# Faster R-CNN + FPN on the fused DeFusion++ feature (VIS + IR), backbone
# initialised from the shared-data pretext checkpoint. MSRS-361 split
# (290 train / 71 val), 320x240 input, batch 2, AdamW, max_iters iterations.
# Numbers on this split are not comparable with papers (they train on the
# 1,083 MSRS train pairs).
_base_ = [
    '../_base_/models/faster-rcnn_defusionpp-vit-tiny-p16_fpn.py',
    '../_base_/datasets/msrs361_det.py',
    '../_base_/schedules/adamw_iter_downstream.py',
    '../_base_/det_runtime.py',
]
