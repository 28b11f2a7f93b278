# FMB semantic segmentation (Liu et al., SegMiF, ICCV 2023): 14 classes,
# label 0 (unlabelled) ignored. Public layout
#   data/FMB/{train,test}/{Visible,Infrared,Label}/<name>.png  (800x600)
# (not in shared/data; link it to data/FMB).
dataset_type = 'defusion.FMBSegDataset'
data_root = 'data/FMB/'
crop_size = (288, 384)  # (H, W)
img_scale = (400, 300)  # (W, H): 800x600 halved

train_pipeline = [
    dict(type='defusion.LoadVisIRPair'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=img_scale, ratio_range=(0.75, 1.5),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='defusion.VisibleOnly',
        transforms=[dict(type='PhotoMetricDistortion')]),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='defusion.LoadVisIRPair'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]

train_dataloader = dict(
    batch_size=2,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='train/Visible',
            ir_path='train/Infrared',
            seg_map_path='train/Label'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='test/Visible',
            ir_path='test/Infrared',
            seg_map_path='test/Label'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
