# MSRS semantic segmentation (9 classes), public layout
#   data/MSRS/{train,test}/{vi,ir,Segmentation_labels}/<name>.png
# (github.com/Linfeng-Tang/MSRS; not in shared/data, link it to data/MSRS).
dataset_type = 'defusion.MSRSSegDataset'
data_root = 'data/MSRS/'
crop_size = (240, 320)  # (H, W)
img_scale = (320, 240)  # (W, H): 640x480 halved

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
            img_path='train/vi',
            ir_path='train/ir',
            seg_map_path='train/Segmentation_labels'),
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
            img_path='test/vi',
            ir_path='test/ir',
            seg_map_path='test/Segmentation_labels'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
