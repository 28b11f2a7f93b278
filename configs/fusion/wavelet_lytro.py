# Classical baseline: Haar DWT, no training (checkpoint "none").
_base_ = [
    '../_base_/datasets/fusion_lytro.py', '../_base_/default_runtime.py'
]

model = dict(type='WaveletFusion', num_levels=3)
