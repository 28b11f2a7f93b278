# Common part of the fusion benchmark test sets: a PairedImageDataset read in
# a fixed order, one pair per batch, scored by FusionMetric. The per-set files
# (fusion_<set>.py) inherit it and set the folder, the two source sub-folders
# and the colour mode of the task preset: 'luminance' for
# IVF and medical pairs, 'rgb' for MEF and MFF.
# Paths are relative to the repository root (run tools from there).
test_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='PairedImageDataset',
        pipeline=[
            dict(type='LoadImagePair'),
            dict(type='PackFusionPair', colour_mode='luminance'),
        ]))

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
