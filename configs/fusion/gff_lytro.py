# Classical baseline: GFF (Li, Kang, Hu, TIP 2013).
# No training; use checkpoint "none".
_base_ = [
    '../_base_/models/gff.py', '../_base_/datasets/fusion_lytro.py',
    '../_base_/default_runtime.py'
]
