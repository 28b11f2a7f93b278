# MEFB (under/over-exposed pairs): fusion benchmark test set.
# Task preset "mef": colour_mode='rgb'.
_base_ = ['./fusion_pairs.py']

test_dataloader = dict(
    dataset=dict(
        data_root='../shared/data/fusion/mef/mefb',
        img_a_dir='under',
        img_b_dir='over',
        pipeline=[
            dict(type='LoadImagePair'),
            dict(type='PackFusionPair', colour_mode='rgb'),
        ]))

test_evaluator = [
    dict(
        type='FusionMetric',
        metrics=[
            'EN', 'SD', 'SF', 'AG', 'MI', 'SCD', 'CC', 'VIF', 'Qabf', 'Nabf',
            'SSIM', 'PSNR', 'MEF-SSIM'
        ])
]
