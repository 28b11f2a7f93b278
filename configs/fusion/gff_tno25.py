# Classical baseline: GFF (Li, Kang, Hu, TIP 2013).
# No training; use checkpoint "none".
_base_ = [
    '../_base_/datasets/fusion_tno25.py', '../_base_/default_runtime.py'
]

model = dict(
    type='GuidedFilterFusion',
    base_radius=15,
    gauss_radius=5,
    gauss_sigma=5.,
    r1=45,
    eps1=0.3,
    r2=7,
    eps2=1e-6)
