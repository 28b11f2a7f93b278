# The CPU detection protocol at the papers' resolution, for one lent GPU
# (tools/gpu_downstream_det.sh): MSRS-361 at its own 640x480 size, batch 8,
# bf16 autocast, lr 4e-4 (the CPU config's 1e-4 at batch 2, scaled
# linearly). Same detector and head as the CPU config, so only the input
# size, batch and length differ. Data: the packed copy that
# tools/dataset_converters/pack_msrs361_det.py writes to data/msrs361_packed
# (JPEG visible and infrared, < 30 MiB, so it travels with the checkout).
_base_ = ['./faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py']

data_root = 'data/msrs361_packed/'
img_scale = (640, 480)
max_iters = 1500

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    dataset=dict(
        data_root=data_root,
        ir_suffix='.jpg',
        pipeline=[
            dict(type='defusion.LoadVisIRPair'),
            dict(type='LoadAnnotations', with_bbox=True),
            dict(type='Resize', scale=img_scale, keep_ratio=True),
            dict(type='RandomFlip', prob=0.5),
            dict(
                type='defusion.VisibleOnly',
                transforms=[dict(type='PhotoMetricDistortion')]),
            dict(type='PackDetInputs'),
        ]))
val_dataloader = dict(
    batch_size=8,
    num_workers=4,
    dataset=dict(
        data_root=data_root,
        ir_suffix='.jpg',
        pipeline=[
            dict(type='defusion.LoadVisIRPair'),
            dict(type='Resize', scale=img_scale, keep_ratio=True),
            dict(type='LoadAnnotations', with_bbox=True),
            dict(
                type='PackDetInputs',
                meta_keys=('img_id', 'img_path', 'ir_path', 'ori_shape',
                           'img_shape', 'scale_factor', 'instances')),
        ]))
test_dataloader = val_dataloader

optim_wrapper = dict(
    type='AmpOptimWrapper', dtype='bfloat16', optimizer=dict(lr=4e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0,
         end=100),
    dict(type='CosineAnnealingLR', eta_min=0., by_epoch=False, begin=0,
         end=max_iters),
]
train_cfg = dict(max_iters=max_iters, val_interval=300)
env_cfg = dict(cudnn_benchmark=True)
