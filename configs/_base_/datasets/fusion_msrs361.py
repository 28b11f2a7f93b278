# MSRS test split (361 IR+VIS pairs, 640x480): fusion benchmark test set.
# Task preset "ivf": colour_mode='luminance' (DESIGN section 5).
# Paths are relative to the repository root (run tools from there).
dataset_type = 'PairedImageDataset'
data_root = '../shared/data/detection/msrs361'

test_pipeline = [
    dict(type='LoadImagePair'),
    dict(type='PackFusionPair', colour_mode='luminance'),
]

test_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        img_a_dir='ir',
        img_b_dir='vi',
        pipeline=test_pipeline))

# A list: mmengine treats a dict with a ``metrics`` key as an Evaluator config.
test_evaluator = [
    dict(
        type='FusionMetric',
        metrics=[
            'EN', 'SD', 'SF', 'AG', 'MI', 'SCD', 'CC', 'VIF', 'Qabf', 'Nabf',
            'SSIM', 'PSNR'
        ])
]

test_cfg = dict(type='TestLoop')
