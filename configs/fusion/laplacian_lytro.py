# Classical baseline: Laplacian pyramid (Burt-Adelson).
# No training; use checkpoint "none".
_base_ = [
    '../_base_/datasets/fusion_lytro.py', '../_base_/default_runtime.py'
]

model = dict(type='LaplacianPyramidFusion', num_levels=4)
