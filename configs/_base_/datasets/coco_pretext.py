# Pretext data, paper setting (DeFusion++): natural images from COCO
# train2017, one synthesised pair per image, 224 px,
# batch 16. The paper uses 50k train2017 images: the first 50k in sorted
# order (``indices``); drop ``indices`` to use the whole folder.
# Validation: deterministic pairs from the first 500 COCO val2017 images.
# Schedules using this file must set ``val_cfg`` and ``test_cfg``.
dataset_type = 'NaturalImageDataset'
data_root = 'data/coco/'
crop_size = 224

train_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(type='SynthesizePretextPair', crop_size=crop_size),
    dict(type='PackPretextInputs', keep_sources=False),
]
val_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(
        type='SynthesizePretextPair',
        crop_size=crop_size,
        seed=0,
        deterministic=True),
    dict(type='PackPretextInputs'),
]

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='train2017',
        indices=50000,
        pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='val2017',
        indices=500,
        test_mode=True,
        pipeline=val_pipeline),
)
val_evaluator = dict(type='PretextReconstructionMetric')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
