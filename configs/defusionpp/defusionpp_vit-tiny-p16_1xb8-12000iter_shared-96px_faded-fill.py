# The long CPU recipe with the pretext mix the 300-iteration table chose on
# 2026-12-03 (configs/defusionpp/README.md, "Faded fill"): the masked blocks
# of a source hold a faded copy of the clean crop (gain U(0, 0.5) towards one
# grey level) instead of half-normal noise, and one pair in two is clean.
# From identity init it reaches in 300 iterations the dev VIF the noise
# recipe reached in ~9,000 (Qabf and contrast lag). Over a full 6,000-iteration
# schedule it is worth about twice the pairs (README, "Faded fill, one fresh run").
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-12000iter_shared-96px.py']

train_pipeline = [
    dict(type='LoadNaturalImage'),
    dict(
        type='SynthesizePretextPair',
        grid_reference_size=224,
        clean_pair_prob=0.5,
        fade_prob=1.0),
    dict(type='PackPretextInputs', keep_sources=False),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
