"""Pack the shared pretraining photos into a small folder that can travel
with the checkout (e.g. to a lent GPU machine).

Every photo of ``--src`` (``coco/``, ``imagenet/``, ``val/``) is resized so
that its long side is at most ``--long-side`` (never upscaled) and written
as a JPEG of ``--quality`` under ``--dst`` with the same folder layout, so
``NaturalImageDataset`` reads the copy exactly like the original. Stops if
the copy would exceed ``--max-mib``::

    python tools/dataset_converters/pack_pretrain_photos.py \\
        --src ../shared/data/pretrain --dst data/pretrain_packed
"""
import argparse
import os
import os.path as osp
import sys

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from PIL import Image

from defusion.datasets.natural_image_dataset import (NATURAL_IMG_EXTENSIONS,
                                                     scan_images)
from defusion.utils.cli import CLIError, run_cli

FOLDERS = ('coco', 'imagenet', 'val')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--src', default='../shared/data/pretrain')
    parser.add_argument('--dst', default='data/pretrain_packed')
    parser.add_argument('--long-side', type=int, default=384)
    parser.add_argument('--quality', type=int, default=75)
    # The device tool carries 64 MiB in all: the tracked files (~28 MiB with
    # the committed checkpoint), this copy and the wheels.
    parser.add_argument('--max-mib', type=float, default=32.)
    parser.add_argument('--force', action='store_true',
                        help='write into an existing, non-empty --dst')
    return parser.parse_args(argv)


def pack_photo(src: str, dst: str, long_side: int, quality: int) -> int:
    """Resize one photo (long side <= ``long_side``) to a JPEG; returns its
    size in bytes."""
    with Image.open(src) as img:
        img = img.convert('RGB')
        scale = long_side / max(img.size)
        if scale < 1:
            size = (max(1, round(img.size[0] * scale)),
                    max(1, round(img.size[1] * scale)))
            img = img.resize(size, Image.LANCZOS)
        os.makedirs(osp.dirname(dst), exist_ok=True)
        img.save(dst, quality=quality)
    return osp.getsize(dst)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    if osp.realpath(args.src) == osp.realpath(args.dst):
        raise CLIError('--dst must differ from --src')
    if osp.isdir(args.dst) and os.listdir(args.dst) and not args.force:
        raise CLIError(f'--dst {args.dst} is not empty (use --force)')
    total, count = 0, 0
    for folder in FOLDERS:
        root = osp.join(args.src, folder)
        if not osp.isdir(root):
            raise CLIError(f'photo folder not found: {root}')
        for path in scan_images(root, NATURAL_IMG_EXTENSIONS):
            rel = osp.splitext(osp.relpath(path, args.src))[0] + '.jpg'
            total += pack_photo(path, osp.join(args.dst, rel),
                                args.long_side, args.quality)
            count += 1
            if total > args.max_mib * 2**20:
                raise CLIError(f'the packed copy exceeds {args.max_mib} MiB '
                               f'after {count} photos; lower --long-side '
                               'or --quality')
    print(f'packed {count} photos into {args.dst}: {total / 2**20:.1f} MiB '
          f'(long side <= {args.long_side} px, JPEG quality {args.quality})')


if __name__ == '__main__':
    main()
