# MSRS test split (361 IR+VIS pairs, 640x480): fusion benchmark test set.
# Task preset "ivf": colour_mode='luminance'.
_base_ = ['./fusion_pairs.py']

test_dataloader = dict(dataset=dict(
    data_root='../shared/data/detection/msrs361',
    img_a_dir='ir', img_b_dir='vi'))
