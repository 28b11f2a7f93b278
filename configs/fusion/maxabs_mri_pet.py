# Classical baseline: choose-max by local contrast + consistency check.
# No training; use checkpoint "none".
_base_ = [
    '../_base_/datasets/fusion_mri_pet.py', '../_base_/default_runtime.py'
]

model = dict(
    type='MaxAbsFusion', activity='contrast', radius=3, consistency_radius=2)
