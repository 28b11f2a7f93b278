"""Write the reference outputs of ``tests/test_models_reference_outputs.py``.

Fuses ``tests/data/reference/{ir,vi}_crop.png`` with the DeFusion++ code of
another source tree (e.g. a worktree of an older commit) and saves the fused
image and the components as an ``.npz``::

    git worktree add /tmp/pre_refactor 4c275d3
    python tools/analysis_tools/make_reference_outputs.py CKPT OUT.npz \\
        --tree /tmp/pre_refactor --old-keys

``--old-keys`` renames a current checkpoint's head keys to the layout of
the code before the re-cut (``common_head.``, ``unique_head.``,
``fused_head.``).
"""
import argparse
import os
import os.path as osp
import sys
import tempfile

REF = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
               'tests', 'data', 'reference')
CONFIG = 'configs/fusion/defusionpp_vit-tiny-p16_zeroshot_roadscene50.py'
# The inverse of ``_OLD_PREFIXES`` in defusion/models/algorithms/defusionpp.py,
# written out because this tool imports the *other* tree's ``defusion``.
NEW_TO_OLD = {'head.common_decoder.': 'common_head.',
              'head.unique_decoder.': 'unique_head.',
              'head.fused_decoder.': 'fused_head.'}


def old_key_checkpoint(path: str, out: str) -> str:
    import torch
    ckpt = torch.load(path, map_location='cpu', weights_only=False)
    state = {}
    for key, value in ckpt['state_dict'].items():
        for new, old in NEW_TO_OLD.items():
            if key.startswith(new):
                key = old + key[len(new):]
                break
        state[key] = value
    ckpt['state_dict'] = state
    torch.save(ckpt, out)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint')
    parser.add_argument('out', help='.npz file to write')
    parser.add_argument('--tree', default='.', help='source tree to run')
    parser.add_argument('--old-keys', action='store_true')
    args = parser.parse_args()
    checkpoint, out = osp.abspath(args.checkpoint), osp.abspath(args.out)
    os.chdir(args.tree)
    sys.path.insert(0, osp.abspath('.'))
    import cv2
    import numpy as np
    import torch
    from defusion.apis import fuse, init_fuser
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.old_keys:
            checkpoint = old_key_checkpoint(checkpoint,
                                            osp.join(tmp, 'old_keys.pth'))
        model = init_fuser(CONFIG, checkpoint, device='cpu')
    ir = cv2.imread(osp.join(REF, 'ir_crop.png'), cv2.IMREAD_UNCHANGED)
    vi = cv2.imread(osp.join(REF, 'vi_crop.png'))[..., ::-1].copy()
    fused, comps = fuse(model, ir, vi, colour_mode='luminance',
                        return_components=True)
    names = {'unique1': 'unique_a', 'unique2': 'unique_b'}
    comps = {names.get(k, k): v for k, v in comps.items()}
    np.savez_compressed(out, fused=fused, **comps)
    print(f'{out}: ' + ', '.join(f'{k} {v.shape}' for k, v in
                                 dict(fused=fused, **comps).items()))


if __name__ == '__main__':
    main()
