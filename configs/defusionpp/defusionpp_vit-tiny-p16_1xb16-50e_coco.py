# DeFusion++ ViT-Tiny/16 pretext training, paper setting: 50k COCO
# train2017 images, 224 px pairs, 1 GPU x 16 pairs, Adam lr 4e-4, 50 epochs.
_base_ = [
    '../_base_/models/defusionpp_vit-tiny-p16.py',
    '../_base_/datasets/coco_pretext.py',
    '../_base_/schedules/adam_50e.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(batch_size=16)

# Pretext validation scores one pass of the network; the 16-pass shift
# averaging of the fusion configs (configs/fusion/README.md) is for fusion.
model = dict(test_cfg=dict(shift_step=0))
