# Lytro multi-focus (20 pairs, 520x520): fusion benchmark test set.
# Task preset "mff": colour_mode='rgb'.
_base_ = ['./fusion_pairs.py']

test_dataloader = dict(
    dataset=dict(
        data_root='../shared/data/fusion/mff/lytro',
        img_a_dir='a',
        img_b_dir='b',
        pipeline=[
            dict(type='LoadImagePair'),
            dict(type='PackFusionPair', colour_mode='rgb'),
        ]))
