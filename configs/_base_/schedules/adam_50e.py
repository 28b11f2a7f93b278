# Paper schedule (DeFusion++): Adam (0.9, 0.999), lr 4e-4, 50 epochs, lr
# halved at epochs 20, 40, 45 and 47. The reference sums the per-sample
# losses over the batch of 16; we average them, which
# scales the gradient by 1/16 relative to the reference at the same lr.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=4e-4, betas=(0.9, 0.999), weight_decay=0.))

param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[20, 40, 45, 47],
        gamma=0.5)
]

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

# Scale the lr linearly with the total batch (reference: 16 pairs).
auto_scale_lr = dict(enable=False, base_batch_size=16)
