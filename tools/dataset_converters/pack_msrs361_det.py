"""Pack MSRS-361 detection into a small folder that can travel with the
checkout to a lent GPU machine (the device tool carries 64 MiB in all).

The images keep their 640x480 size (the papers' resolution) and are
re-encoded as JPEG: visible at ``--vis-quality`` (RGB), infrared at
``--ir-quality`` (grey). Split files, label folders and ``classes.txt`` are
copied as they are, so ``MSRSDetDataset(data_root=DST, ir_suffix='.jpg')``
reads the copy like the original (the GPU config does). Stops if the copy
would exceed ``--max-mib``::

    python tools/dataset_converters/pack_msrs361_det.py \\
        --src ../shared/data/detection/msrs361 --dst data/msrs361_packed
"""
import argparse
import os
import os.path as osp
import shutil
import sys

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from PIL import Image

from defusion.utils.cli import CLIError, run_cli

LABEL_FOLDERS = ('labels_fused', 'labels_vi', 'labels_ir')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--src', default='../shared/data/detection/msrs361')
    parser.add_argument('--dst', default='data/msrs361_packed')
    parser.add_argument('--vis-quality', type=int, default=80)
    parser.add_argument('--ir-quality', type=int, default=85)
    parser.add_argument('--max-mib', type=float, default=30.)
    parser.add_argument('--force', action='store_true',
                        help='write into an existing, non-empty --dst')
    return parser.parse_args(argv)


def split_names(src: str) -> list:
    """Names of the train and val split files of ``src``."""
    names = []
    for split in ('train', 'val'):
        path = osp.join(src, 'splits', f'{split}.txt')
        if not osp.isfile(path):
            raise CLIError(f'split file not found: {path}')
        with open(path) as f:
            names += [line.strip() for line in f if line.strip()]
    return names


def save_jpeg(src: str, dst: str, mode: str, quality: int) -> int:
    """Re-encode one image (no resizing); returns the file size in bytes."""
    if not osp.isfile(src):
        raise CLIError(f'image not found: {src}')
    with Image.open(src) as img:
        img.convert(mode).save(dst, quality=quality)
    return osp.getsize(dst)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    for name in ('vis_quality', 'ir_quality'):
        if not 1 <= getattr(args, name) <= 95:
            raise CLIError(f'--{name.replace("_", "-")} must be in 1..95')
    if osp.realpath(args.src) == osp.realpath(args.dst):
        raise CLIError('--dst must differ from --src')
    if osp.isdir(args.dst) and os.listdir(args.dst) and not args.force:
        raise CLIError(f'--dst {args.dst} is not empty (use --force)')
    names = split_names(args.src)
    for folder in ('vi', 'ir'):
        os.makedirs(osp.join(args.dst, folder), exist_ok=True)
    shutil.copytree(osp.join(args.src, 'splits'),
                    osp.join(args.dst, 'splits'), dirs_exist_ok=True)
    for folder in LABEL_FOLDERS:
        if osp.isdir(osp.join(args.src, folder)):
            shutil.copytree(osp.join(args.src, folder),
                            osp.join(args.dst, folder), dirs_exist_ok=True)
    for extra in ('classes.txt', 'README.md'):
        if osp.isfile(osp.join(args.src, extra)):
            shutil.copy(osp.join(args.src, extra), args.dst)
    total = 0
    for count, name in enumerate(names, 1):
        total += save_jpeg(osp.join(args.src, 'vi', f'{name}.jpg'),
                           osp.join(args.dst, 'vi', f'{name}.jpg'), 'RGB',
                           args.vis_quality)
        total += save_jpeg(osp.join(args.src, 'ir', f'{name}.png'),
                           osp.join(args.dst, 'ir', f'{name}.jpg'), 'L',
                           args.ir_quality)
        if total > args.max_mib * 2**20:
            raise CLIError(f'the packed copy exceeds {args.max_mib} MiB '
                           f'after {count} pairs; lower --vis-quality or '
                           '--ir-quality')
    print(f'packed {len(names)} pairs into {args.dst}: {total / 2**20:.1f} '
          f'MiB of images (JPEG quality {args.vis_quality} visible, '
          f'{args.ir_quality} infrared as .jpg)')


if __name__ == '__main__':
    main()
