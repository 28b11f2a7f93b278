# The faded-fill + brighten recipe, second continuation: 5,000 more iterations
# (40k pairs, 168k in all) from checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth
# with the same continued schedule (lr 2e-4 after a 100-iteration warm-up,
# halved at 40/80/90/94%).
# Why: on the first continuation's learning-curve table dev VIF was still
# rising at its last checkpoint (0.517, 0.535, 0.559 at 4k, 4.5k, 5k iterations).
# Result (2026-12-03): best dev VIF 0.526 at iter_5000, below 0.559; not published.
_base_ = ['./defusionpp_vit-tiny-p16_1xb8-5000iter_shared-96px_faded-fill-brighten-continued.py']

load_from = 'checkpoints/defusionpp_vit-tiny-p16_shared-pretext-5b454a5a.pth'
