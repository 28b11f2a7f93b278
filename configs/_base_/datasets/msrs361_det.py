# MSRS-361 detection (shared/data/detection/msrs361): visible + infrared
# pairs as 6-channel images, YOLO boxes of labels_fused/ (person, bicycle,
# car; drawn on a fused image, see configs/downstream/README.md),
# fixed split 290 train / 71 val. Paths are relative to the repository root.
# NOTE: this is the MSRS *test* split; papers train on the 1,083 MSRS train
# pairs, so numbers here are not comparable with published ones.
dataset_type = 'defusion.MSRSDetDataset'
data_root = '../shared/data/detection/msrs361/'
data_prefix = dict(img='vi', ir='ir', label='labels_fused')
img_scale = (320, 240)  # (W, H): 640x480 halved; padded to 320x256

train_pipeline = [
    dict(type='defusion.LoadVisIRPair'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='defusion.VisibleOnly',
        transforms=[dict(type='PhotoMetricDistortion')]),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='defusion.LoadVisIRPair'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    # 'instances' lets CocoMetric build the ground truth without an
    # ann_file (it writes a COCO json into a temporary folder).
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ir_path', 'ori_shape', 'img_shape',
                   'scale_factor', 'instances')),
]

train_dataloader = dict(
    batch_size=2,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='AspectRatioBatchSampler'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/train.txt',
        data_prefix=data_prefix,
        filter_cfg=dict(filter_empty_gt=False),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='splits/val.txt',
        data_prefix=data_prefix,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='CocoMetric', ann_file=None, metric='bbox',
                     classwise=True)
test_evaluator = val_evaluator
