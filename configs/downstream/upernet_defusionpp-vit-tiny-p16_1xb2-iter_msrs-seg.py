# UPerNet on the fused DeFusion++ feature (VIS + IR) for MSRS segmentation
# (9 classes; data/MSRS in the public layout), backbone initialised from the
# shared-data pretext checkpoint. 320x240 input, 240x320 crops, batch 2.
_base_ = [
    '../_base_/models/upernet_defusionpp-vit-tiny-p16.py',
    '../_base_/datasets/msrs_seg.py',
    '../_base_/schedules/adamw_iter_downstream.py',
    '../_base_/seg_runtime.py',
]

model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    decode_head=dict(num_classes=9))
