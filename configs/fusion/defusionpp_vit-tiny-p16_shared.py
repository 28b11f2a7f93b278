# DeFusion++ ViT-Tiny/16 pretrained on the shared photos: the recommended
# model for fusing your own images (model-index name
# "defusionpp_vit-tiny-p16_shared", the default of FusionInferencer and
# tools/fuse.py). Infrared-visible colour handling by default; pass a task
# preset (--task / task=) for other pairs.
_base_ = [
    '../_base_/models/defusionpp_vit-tiny-p16.py',
    '../_base_/datasets/fusion_pairs.py', '../_base_/default_runtime.py'
]
