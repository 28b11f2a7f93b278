# DeFusion++ (ViT-tiny/16) applied zero-shot to tno25: pretrained on the
# pretext task only, no fusion-set training. Pass the pretraining checkpoint.
_base_ = [
    '../_base_/models/defusionpp_vit-tiny-p16.py',
    '../_base_/datasets/fusion_tno25.py', '../_base_/default_runtime.py'
]
