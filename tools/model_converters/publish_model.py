"""Turn a training checkpoint into a release file.

Keeps the model weights and plain metadata only (no optimizer, message hub or
scheduler state), optionally casts floating weights to fp16, and appends the
first 8 hex digits of the file's SHA-256 to its name::

    python tools/model_converters/publish_model.py work_dirs/x/iter_800.pth \
        checkpoints/defusionpp_x.pth --fp16
    # -> checkpoints/defusionpp_x-1a2b3c4d.pth

The result loads with ``torch.load(path, weights_only=True)``.
"""
import argparse
import hashlib
import os
import os.path as osp
import sys

import torch

# Metadata worth keeping; values are reduced to str / int / float.
META_KEYS = ('epoch', 'iter', 'seed', 'experiment_name', 'time',
             'mmengine_version', 'dataset_meta', 'averaged_from')


def plain(value):
    """Reduce metadata to types that ``weights_only=True`` accepts."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, 'item') and getattr(value, 'size', 2) == 1:
        return value.item()  # numpy / torch scalars
    return str(value)


def strip_checkpoint(checkpoint, fp16=False):
    """Return ``dict(state_dict=..., meta=...)`` from a Runner checkpoint."""
    state = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state, dict) or not state:
        raise ValueError('the checkpoint holds no state_dict')
    stripped = {}
    for key, tensor in state.items():
        if not torch.is_tensor(tensor):
            raise ValueError(f'state_dict entry {key!r} is not a tensor')
        if fp16 and tensor.is_floating_point():
            tensor = tensor.half()
        stripped[key] = tensor.detach().cpu().clone()
    meta = {k: plain(v) for k, v in checkpoint.get('meta', {}).items()
            if k in META_KEYS}
    meta['fp16'] = bool(fp16)
    return dict(state_dict=stripped, meta=meta)


def publish(in_file, out_file, fp16=False, force=False):
    """Write the stripped checkpoint and return its final (hashed) path."""
    if not osp.isfile(in_file):
        raise FileNotFoundError(f'input checkpoint not found: {in_file}')
    checkpoint = torch.load(in_file, map_location='cpu', weights_only=False)
    stripped = strip_checkpoint(checkpoint, fp16=fp16)
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    tmp_file = out_file + '.tmp'
    torch.save(stripped, tmp_file)
    with open(tmp_file, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:8]
    stem = osp.splitext(out_file)[0]
    final_file = f'{stem}-{sha}.pth'
    if osp.exists(final_file) and not force:
        os.remove(tmp_file)
        raise FileExistsError(f'{final_file} exists; pass --force to '
                              'overwrite it')
    os.replace(tmp_file, final_file)
    return final_file


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_file', help='training checkpoint')
    parser.add_argument(
        'out_file', help='output path; the hash is added before ".pth"')
    parser.add_argument(
        '--fp16', action='store_true', help='store floating weights as fp16')
    parser.add_argument(
        '--force', action='store_true', help='overwrite an existing file')
    args = parser.parse_args(argv)
    try:
        final = publish(args.in_file, args.out_file, args.fp16, args.force)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f'publish_model.py: error: {err}', file=sys.stderr)
        sys.exit(2)
    size_mb = osp.getsize(final) / 2**20
    print(f'wrote {final} ({size_mb:.1f} MiB)')
    return final


if __name__ == '__main__':
    main()
