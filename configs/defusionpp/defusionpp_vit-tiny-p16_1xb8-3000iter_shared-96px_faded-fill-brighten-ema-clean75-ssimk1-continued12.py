# The published recipe (three pairs in four clean) continued with one change
# to the loss: the SSIM loss's luminance constant k1 = 1 instead of Wang's
# 0.01. From the published
# checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth (464k pairs)
# for 3,000 iterations of batch 8 at 96 px (24k pairs), lr 2.5e-5 after a
# 100-iteration warm-up, halved at 40/80/90/94%, EMAHook momentum 0.001,
# randomness.seed=10.
# Why: where two flat sources disagree (0.1 and 0.9) the model keeps the
# darker (the learning curve's flat column: 0.16; the demo's sky is fused
# dark). There the pretext cannot tell which source is the photo, L1 is the
# same for any level between the two, and the SSIM loss decides: with
# C1 = 1e-4 its luminance term is a ratio, minimised near 0.14 (or 0.66);
# with C1 = 1 it is close to a quadratic penalty, minimised near the
# midpoint (tests/test_models_losses.py). Photos negated half the time
# (continued11, invert_prob=0.5) did not move the flat column (0.163 ->
# 0.151 at 1,000 iterations; dev VIF 0.6395 -> 0.625): the bias is not the
# data's asymmetry, and the loss is the suspect left.
# Pick rule, written before any checkpoint was scored: highest one-pass dev
# VIF among iter_1000, iter_2000, iter_3000 and the mean of 0102335b with
# iter_3000, within 0.005 the higher Qabf; published if above 0102335b's
# 0.6395 (fp16).
# It gave checkpoints/defusionpp_vit-tiny-p16_shared-pretext-b20a26a0.pth (the
# mean of 0102335b and iter_3000: dev VIF 0.6412, Qabf 0.4400; iter_1000
# 0.6379, iter_2000 0.6394, iter_3000 0.6410). Restore the starting weights
# from the git history first:
# git show 2d520bf:checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth \
#     > checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-3000iter_shared-96px_faded-fill-brighten-ema-clean75-continued10.py']

load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-0102335b.pth'
model = dict(head=dict(loss_fused_ssim=dict(k1=1.0)))
randomness = dict(seed=10)
