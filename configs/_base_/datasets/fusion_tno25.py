# TNO (25 IR+VIS pairs, CDDFuse split): fusion benchmark test set.
# Task preset "ivf": colour_mode='luminance'.
_base_ = ['./fusion_pairs.py']

test_dataloader = dict(dataset=dict(
    data_root='../shared/data/fusion/ivf/tno25',
    img_a_dir='ir', img_b_dir='vi'))
