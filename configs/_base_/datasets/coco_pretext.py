# Pretext data, paper setting (DeFusion++): natural images from COCO
# train2017, one synthesised pair per image, 224 px, batch 16. The paper uses
# 50k train2017 images: the first 50k in sorted order (``indices``); drop
# ``indices`` to use the whole folder. Validation: deterministic pairs from
# the first 500 COCO val2017 images. The pipelines are those of
# shared_pretext.py. Schedules using this file must set ``val_cfg`` and
# ``test_cfg``.
_base_ = ['./shared_pretext.py']

data_root = 'data/coco/'
crop_size = 224

train_dataloader = dict(
    num_workers=8,
    dataset=dict(
        data_root=data_root, data_prefix='train2017', indices=50000))
val_dataloader = dict(
    num_workers=4,
    dataset=dict(data_root=data_root, data_prefix='val2017', indices=500))
test_dataloader = val_dataloader
