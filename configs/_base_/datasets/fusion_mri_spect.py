# Harvard MRI-SPECT (73 pairs, CDDFuse split): fusion benchmark test set.
# Task preset "med": colour_mode='luminance'.
_base_ = ['./fusion_pairs.py']

test_dataloader = dict(dataset=dict(
    data_root='../shared/data/fusion/med/mri_spect',
    img_a_dir='mri', img_b_dir='spect'))
