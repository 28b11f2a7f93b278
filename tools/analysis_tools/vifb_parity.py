"""Recompute VIFB's stored metric values with convention='vifb' and report
the relative error per metric.

Example:
    python tools/analysis_tools/vifb_parity.py            # 21 pairs x 25
    python tools/analysis_tools/vifb_parity.py --methods ADF CBF --workers 2
"""
import argparse
import csv
import os.path as osp
import sys
from collections import defaultdict
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..'))

from defusion.evaluation.functional import compute_fusion_metrics  # noqa
from defusion.evaluation.metrics import load_image_for_metric  # noqa

DEFAULT_ROOT = osp.join(
    osp.dirname(osp.abspath(__file__)), '..', '..', '..', 'shared', 'data',
    'oracles', 'vifb')
# The 13 metrics of VIFB (VIFB name -> ours).
VIFB_TO_OURS = {
    'CE': 'CE', 'EN': 'EN', 'MI': 'MI', 'PSNR': 'PSNR', 'AG': 'AG',
    'EI': 'EI', 'Qabf': 'Qabf', 'SD': 'SD', 'SF': 'SF', 'RMSE': 'RMSE',
    'SSIM': 'SSIM', 'Qcb': 'Qcb', 'Qcv': 'Qcv'
}


def read_reference(root):
    """{(image, method): {metric: value}} from vifb_metrics.csv."""
    ref = defaultdict(dict)
    with open(osp.join(root, 'vifb_metrics.csv')) as f:
        for row in csv.DictReader(f):
            ref[(row['image'], row['method'])][row['metric']] = float(
                row['value'])
    return ref


def evaluate_pair(args):
    """Our VIFB-convention metrics for one (image, method)."""
    root, image, method, names = args
    vi = load_image_for_metric(osp.join(root, 'input', 'VI', image + '.jpg'))
    ir = load_image_for_metric(osp.join(root, 'input', 'IR', image + '.jpg'))
    fused = load_image_for_metric(
        osp.join(root, 'fused_images', f'{image}_{method}.jpg'))
    ours = compute_fusion_metrics(vi, ir, fused,
                                  [VIFB_TO_OURS[n] for n in names], 'vifb')
    return image, method, {n: ours[VIFB_TO_OURS[n]] for n in names}


def relative_errors(root, images=None, methods=None, metrics=None,
                    workers=1):
    """Relative errors |ours - vifb| / |vifb| as {metric: [(image, method,
    rel_err)]}."""
    ref = read_reference(root)
    images = images or sorted({k[0] for k in ref})
    methods = methods or sorted({k[1] for k in ref})
    metrics = metrics or list(VIFB_TO_OURS)
    jobs = [(root, i, m, metrics) for i in images for m in methods]
    if workers > 1:
        with Pool(workers) as pool:
            outs = pool.map(evaluate_pair, jobs)
    else:
        outs = map(evaluate_pair, jobs)
    errors = defaultdict(list)
    for image, method, values in outs:
        for name, value in values.items():
            target = ref[(image, method)][name]
            errors[name].append(
                (image, method, abs(value - target) / abs(target)))
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--root', default=DEFAULT_ROOT)
    parser.add_argument('--images', nargs='*')
    parser.add_argument('--methods', nargs='*')
    parser.add_argument('--metrics', nargs='*', choices=list(VIFB_TO_OURS))
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--exclude', nargs='*', default=[],
                        help='methods left out of the second column group')
    parser.add_argument('--by-method', action='store_true',
                        help='also print the max relative error per method')
    args = parser.parse_args()
    errors = relative_errors(args.root, args.images, args.methods,
                             args.metrics, args.workers)
    head = f'{"metric":8s}{"n":>5s}{"max rel":>11s}{"mean rel":>11s}' \
           f'{"median":>11s}  worst (image, method)'
    if args.exclude:
        head += f'   | max rel without {",".join(args.exclude)}'
    print(head)
    for name, errs in errors.items():
        rel = np.array([e[2] for e in errs])
        worst = errs[int(rel.argmax())]
        line = (f'{name:8s}{len(rel):5d}{rel.max():11.2e}{rel.mean():11.2e}'
                f'{np.median(rel):11.2e}  ({worst[0]}, {worst[1]})')
        if args.exclude:
            kept = [e[2] for e in errs if e[1] not in args.exclude]
            line += f'   | {max(kept):.2e}'
        print(line)
    if args.by_method:
        print(f'\n{"method":12s} max rel error per metric')
        methods = sorted({e[1] for errs in errors.values() for e in errs})
        print(' ' * 12 + ''.join(f'{n:>9s}' for n in errors))
        for method in methods:
            print(f'{method:12s}' + ''.join(
                f'{max(e[2] for e in errs if e[1] == method):9.1e}'
                for errs in errors.values()))


if __name__ == '__main__':
    main()
