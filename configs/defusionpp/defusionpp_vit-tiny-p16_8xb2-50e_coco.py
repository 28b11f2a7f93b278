# DeFusion++ ViT-Tiny/16 pretext training, paper setting spread over 8 GPUs
# with 2 pairs each (total batch 16, as in the paper).
_base_ = ['./defusionpp_vit-tiny-p16_1xb16-50e_coco.py']

train_dataloader = dict(batch_size=2, num_workers=2)
val_dataloader = dict(batch_size=2, num_workers=2)
auto_scale_lr = dict(base_batch_size=16)
