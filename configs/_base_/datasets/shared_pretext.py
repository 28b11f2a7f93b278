# Pretext data, shared-data setting: the photos of ../shared/data/pretrain
# (coco/ and imagenet/ for training, val/ for validation with the same pairs
# every epoch). Paths are relative to the repository root (run the tools
# from there). Schedules using this file must set ``val_cfg`` and
# ``test_cfg``.
crop_size = 224  # the lead picks the final size

dataset_type = 'NaturalImageDataset'
data_root = '../shared/data/pretrain/'

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
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        # imagenet/ may be empty; the union must not be.
        data_prefix=['coco', 'imagenet'],
        pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='val',
        test_mode=True,
        pipeline=val_pipeline),
)
val_evaluator = dict(type='PretextReconstructionMetric')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
