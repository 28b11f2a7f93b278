"""Score a folder of ready-made fused images against their sources.

For the outputs of another method, or the published outputs of a peer: the
fused images are matched to the two source folders by file name without
extension and scored with the same metrics and conventions as
``tools/test.py`` (``FusionMetric``), printing the same table::

    python tools/analysis_tools/eval_fused.py FUSED_DIR \\
        ../shared/data/fusion/ivf/tno25/ir ../shared/data/fusion/ivf/tno25/vi

The images are scored as saved (8-bit files); ``--name`` labels the row.
"""
import argparse
import json
import os
import os.path as osp
import sys

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np

from defusion.datasets import pair_folders
from defusion.evaluation.functional import (DEFAULT_METRICS,
                                            compute_fusion_metrics)
from defusion.evaluation.functional.fusion_metrics import check_names
from defusion.evaluation.metrics.fusion_metric import load_image_for_metric
from defusion.utils.cli import CLIError, run_cli


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('fused_dir', help='folder of fused images')
    parser.add_argument('img_a_dir', help='first source folder (e.g. ir/)')
    parser.add_argument('img_b_dir', help='second source folder (e.g. vi/)')
    parser.add_argument('--metrics', nargs='+', default=list(DEFAULT_METRICS))
    parser.add_argument('--convention', default='default',
                        choices=['default', 'vifb'])
    parser.add_argument('--name', help='row label (default: the folder name)')
    parser.add_argument('--out', help='also write the means to this JSON')
    parser.add_argument('--force', action='store_true',
                        help='overwrite --out')
    return parser.parse_args(argv)


def score_folder(fused_dir, img_a_dir, img_b_dir, metrics,
                 convention='default'):
    """Mean metrics over all fused images; every fused image needs both
    sources (and one size)."""
    for folder in (fused_dir, img_a_dir, img_b_dir):
        if not osp.isdir(folder):
            raise CLIError(f'folder not found: {folder}')
    sources = {p['name']: p for p in pair_folders(img_a_dir, img_b_dir)}
    fused = {p['name']: p['img_a_path']
             for p in pair_folders(fused_dir, fused_dir)}
    missing = sorted(set(fused) - set(sources))
    if missing:
        raise CLIError(f'{len(missing)} fused image(s) have no source pair '
                       f'in {img_a_dir} and {img_b_dir}: '
                       f'{", ".join(missing[:5])}')
    rows = []
    for name in sorted(fused):
        img_a = load_image_for_metric(sources[name]['img_a_path'])
        img_b = load_image_for_metric(sources[name]['img_b_path'])
        img_f = load_image_for_metric(fused[name])
        if not img_a.shape[:2] == img_b.shape[:2] == img_f.shape[:2]:
            raise CLIError(f'{fused[name]} is {img_f.shape[1]}x'
                           f'{img_f.shape[0]} but its sources are '
                           f'{img_a.shape[1]}x{img_a.shape[0]} and '
                           f'{img_b.shape[1]}x{img_b.shape[0]} (WxH)')
        rows.append(compute_fusion_metrics(img_a, img_b, img_f, metrics,
                                           convention))
    return {m: float(np.mean([r[m] for r in rows])) for m in metrics}, \
        len(rows)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    metrics = check_names(args.metrics, args.convention)
    if args.out and osp.exists(args.out) and not args.force:
        raise CLIError(f'--out {args.out} exists; pass --force to overwrite')
    means, count = score_folder(args.fused_dir, args.img_a_dir,
                                args.img_b_dir, metrics, args.convention)
    name = args.name or osp.basename(osp.normpath(args.fused_dir))
    print(f'{count} fused images, convention={args.convention}, scored as '
          'saved (8-bit files)')
    print('| method | ' + ' | '.join(metrics) + ' |')
    print('|---|' + '---|' * len(metrics))
    print(f'| {name} | ' + ' | '.join(f'{means[m]:.4g}' for m in metrics)
          + ' |')
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(dict(name=name, count=count, **means), f, indent=2)


if __name__ == '__main__':
    main()
