"""Average the weights of several checkpoints of one model (a uniform soup).

Every floating tensor of ``state_dict`` becomes the float32 mean of the
inputs (fp16 release files and fp32 training files mix); other tensors are
taken from the first file. The output holds ``state_dict`` and ``meta``
(the sources' names), to be published with ``publish_model.py``::

    python tools/model_converters/average_checkpoints.py \
        checkpoints/defusionpp_x-1a2b3c4d.pth work_dirs/run/iter_6000.pth \
        -o work_dirs/soup/soup.pth
"""
import argparse
import os
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from publish_model import strip_checkpoint  # noqa: E402


def load_state(path):
    """The ``state_dict`` of a checkpoint file (Runner or release file)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {path}')
    checkpoint = torch.load(path, map_location='cpu', weights_only=False)
    try:
        return strip_checkpoint(checkpoint)['state_dict']
    except ValueError as err:
        raise ValueError(f'{path}: {err}') from None


def average_states(states, names):
    """Mean of the floating tensors of ``states`` (dicts with equal keys)."""
    first = states[0]
    for state, name in zip(states[1:], names[1:]):
        if set(state) != set(first):
            diff = sorted(set(state) ^ set(first))
            raise ValueError(f'{name}: keys differ from {names[0]} '
                             f'(e.g. {diff[0]!r})')
        for key, tensor in state.items():
            if tensor.shape != first[key].shape:
                raise ValueError(f'{name}: {key!r} has shape '
                                 f'{tuple(tensor.shape)}, {names[0]} has '
                                 f'{tuple(first[key].shape)}')
    averaged = {}
    for key, tensor in first.items():
        if tensor.is_floating_point():
            total = sum(state[key].float() for state in states)
            averaged[key] = total / len(states)
        else:
            averaged[key] = tensor.clone()
    return averaged


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoints', nargs='+', help='two or more files')
    parser.add_argument('-o', '--out', required=True, help='output .pth')
    parser.add_argument(
        '--force', action='store_true', help='overwrite an existing file')
    args = parser.parse_args(argv)
    try:
        if len(args.checkpoints) < 2:
            raise ValueError('give at least two checkpoints to average')
        if osp.exists(args.out) and not args.force:
            raise FileExistsError(f'{args.out} exists; pass --force to '
                                  'overwrite it')
        states = [load_state(path) for path in args.checkpoints]
        averaged = average_states(states, args.checkpoints)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f'average_checkpoints.py: error: {err}', file=sys.stderr)
        sys.exit(2)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    meta = dict(averaged_from=[osp.basename(p) for p in args.checkpoints])
    torch.save(dict(state_dict=averaged, meta=meta), args.out)
    print(f'wrote {args.out} (mean of {len(states)} checkpoints)')


if __name__ == '__main__':
    main()
