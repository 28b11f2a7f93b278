"""The committed checkpoint fuses a small crop of the demo pair exactly as
the code before the issue-11 re-cut (commit 4c275d3) did.

``tests/data/reference/defusionpp_shared_crop.npz`` holds the fused image and
the three components that the pre-refactor ``defusion.apis.fuse`` produced
for ``ir_crop.png`` / ``vi_crop.png`` (48 x 64 px) with the recommended
model's weights (key names mapped to the old layout). Regenerate it only
when the checkpoint changes, with the old tree (``git worktree add
/tmp/pre_refactor 4c275d3``); see ``tests/data/reference/README.md``.
"""
import numpy as np
import pytest

from defusion.apis import RECOMMENDED_MODEL, fuse, get_model, init_fuser
from defusion.datasets.transforms import read_image

CONFIG = 'configs/fusion/defusionpp_vit-tiny-p16_zeroshot_roadscene50.py'
REF = 'tests/data/reference'


@pytest.fixture(scope='module')
def outputs(repo_root):
    _, weights = get_model(RECOMMENDED_MODEL, str(repo_root))
    model = init_fuser(str(repo_root / CONFIG), weights)
    # The reference is one pass of the network (the old code had no shift
    # averaging); the averaging itself is tested on its own.
    model.test_cfg['shift_step'] = 0
    ir = read_image(str(repo_root / REF / 'ir_crop.png'))[0]
    vi = read_image(str(repo_root / REF / 'vi_crop.png'))[0]
    fused, comps = fuse(model, ir, vi, colour_mode='luminance',
                        return_components=True)
    return dict(fused=fused, **comps)


@pytest.mark.parametrize('key', ['fused', 'common', 'unique_a', 'unique_b'])
def test_matches_pre_refactor_outputs(outputs, repo_root, key):
    ref = np.load(repo_root / REF / 'defusionpp_shared_crop.npz')[key]
    assert outputs[key].shape == ref.shape
    np.testing.assert_allclose(outputs[key], ref, rtol=0, atol=1e-5)
