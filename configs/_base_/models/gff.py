# GFF (Li, Kang, Hu, TIP 2013): two-scale decomposition, guided-filter
# refined weight maps. Classical, no training (checkpoint "none").
model = dict(
    type='GuidedFilterFusion',
    base_radius=15,
    gauss_radius=5,
    gauss_sigma=5.,
    r1=45,
    eps1=0.3,
    r2=7,
    eps2=1e-6)
