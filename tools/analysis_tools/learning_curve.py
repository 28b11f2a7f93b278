"""Learning-curve table of DeFusion++ checkpoints: pretext and zero-shot.

For every checkpoint: pretext-validation PSNR / SSIM of the fused image
(the config's ``val_dataloader``, fixed pairs) and zero-shot fusion metrics
(VIF, Qabf, SSIM, SF and the other metrics of the benchmark tables) on a
fixed dev subset of real infrared-visible pairs. The dev subset is *not* one
of the reported benchmark sets: by default every 7th pair of the MSRS-361
val split (10 pairs, day and night), so that recipe decisions taken from
this table do not tune to TNO or RoadScene. A pixel-average row scored on
the same pairs is printed first as the reference.

The ``bright`` column follows a known failure (bright content of one source
fused as if it were noise): the mean fused luma (0-1) over the pixels of one
pair (``--bright-pair``, by default the demo pair) where the visible image's
BT.601 luma is above 0.8 (the demo's sky). The ``flat`` column is its
mechanism in one number: the fused level of two flat 96 px sources at 0.1
(infrared) and 0.9 (visible); the pixel average gives 0.5, a model that
keeps the darker source where the sources disagree gives 0.1.

Example::

    python tools/analysis_tools/learning_curve.py \\
        configs/defusionpp/defusionpp_vit-tiny-p16_1xb8-800iter_shared-96px.py \\
        work_dirs/run/iter_200.pth work_dirs/run/iter_400.pth \\
        --out work_dirs/run/learning_curve.md

``--vif-split`` adds the two terms of VIF (VIFp against each source:
``VIF_ir`` + ``VIF_vis`` = ``VIF``), to see which source's information a
model loses.

A work dir can be given instead of files: all its ``iter_*.pth`` are used,
in iteration order. Fused images are quantised to 8 bits before scoring, as
a saved PNG would be.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import sys
import time

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import defusion  # noqa: F401

import numpy as np
import torch

from defusion.apis import fuse, init_fuser
from defusion.evaluation.functional import (compute_fusion_metrics,
                                          grey_for_metric, vif_pixel)
from defusion.evaluation.metrics.fusion_metric import load_image_for_metric
from defusion.evaluation.metrics.pretext_metric import \
    PretextReconstructionMetric
from defusion.utils.cli import CLIError, load_config, run_cli
from defusion.utils.colour import rgb_to_luma_np

DEV_ROOT = '../shared/data/detection/msrs361'
BRIGHT_PAIR = ('demo/00055D_ir.png', 'demo/00055D_vi.jpg')
BRIGHT_LUMA = 0.8
FLAT_LEVELS = (0.1, 0.9)  # (infrared, visible) of the flat column
DEV_METRICS = ('VIF', 'Qabf', 'SSIM', 'SF', 'EN', 'SD', 'AG', 'MI', 'SCD')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='training config of the checkpoints')
    parser.add_argument(
        'checkpoints', nargs='+',
        help='checkpoint files, or work dirs (all iter_*.pth in them)')
    parser.add_argument('--dev-root', default=DEV_ROOT,
                        help='folder with ir/, vi/ and splits/val.txt')
    parser.add_argument('--num-pairs', type=int, default=10)
    parser.add_argument('--stride', type=int, default=7,
                        help='take every STRIDE-th name of the val split')
    parser.add_argument('--pretext-batches', type=int, default=None,
                        help='pretext validation on the first N batches '
                        '(default: all)')
    parser.add_argument('--no-pretext', action='store_true')
    parser.add_argument('--bright-pair', nargs=2, default=BRIGHT_PAIR,
                        metavar=('IR', 'VIS'),
                        help='pair of the bright column (default: the demo)')
    parser.add_argument('--out', help='also write the table here (.md); a '
                        '.json with the same numbers is written beside it')
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--vif-split', action='store_true',
                        help='add the columns VIF_ir and VIF_vis, the two '
                        'terms of VIF')
    parser.add_argument(
        '--shift-step', type=int, default=0,
        help='shift averaging of every fusion (test_cfg.shift_step); '
        'default 0, one pass, as in every learning-curve table (the '
        'fusion configs average 16 passes, shift_step=4)')
    return parser.parse_args(argv)


def iteration_of(path: str) -> int:
    """Iteration number in a file name like ``iter_400.pth`` (-1 if none)."""
    match = re.search(r'iter_(\d+)', osp.basename(path))
    return int(match.group(1)) if match else -1


def expand_checkpoints(items):
    """Files stay; a folder becomes its ``iter_*.pth`` in iteration order."""
    paths = []
    for item in items:
        if osp.isdir(item):
            found = sorted(glob.glob(osp.join(item, 'iter_*.pth')),
                           key=iteration_of)
            if not found:
                raise CLIError(f'no iter_*.pth checkpoints in {item}')
            paths.extend(found)
        elif osp.isfile(item) or item.lower() == 'none':
            paths.append(item)
        else:
            raise CLIError(f'checkpoint not found: {item}')
    return paths


def dev_pairs(root: str, num_pairs: int, stride: int):
    """The fixed dev subset: (ir path, visible path) pairs."""
    split = osp.join(root, 'splits', 'val.txt')
    if not osp.isfile(split):
        raise CLIError(f'dev split not found: {split}')
    with open(split) as f:
        names = [line.strip() for line in f if line.strip()]
    names = names[::stride][:num_pairs]
    pairs = []
    for name in names:
        ir = osp.join(root, 'ir', f'{name}.png')
        vis = [p for p in glob.glob(osp.join(root, 'vi', f'{name}.*'))]
        if not osp.isfile(ir) or not vis:
            raise CLIError(f'dev pair {name} incomplete under {root}')
        pairs.append((ir, vis[0]))
    return pairs


def score_fused(pairs, fused_images, vif_split=False):
    """Mean default-convention metrics of fused images in [0, 1] (grey or
    RGB, scored on their BT.601 luma), quantised to 8 bits first; with
    ``vif_split`` also ``VIF_ir`` and ``VIF_vis``, the two terms of VIF."""
    rows = []
    for (ir, vis), fused in zip(pairs, fused_images):
        img_a = load_image_for_metric(ir)
        img_b = load_image_for_metric(vis)
        f = np.floor(np.clip(fused, 0, 1) * 255 + 0.5).astype(np.float64)
        row = compute_fusion_metrics(img_a, img_b, f, DEV_METRICS)
        if vif_split:
            grey_a, grey_b, grey_f = (grey_for_metric(x)
                                      for x in (img_a, img_b, f))
            row['VIF_ir'] = vif_pixel(grey_a, grey_f)
            row['VIF_vis'] = vif_pixel(grey_b, grey_f)
        rows.append(row)
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def average_fusion(pairs):
    """Pixel average on the luminance, as AverageFusion with luminance
    colour mode (only the Y channel is scored)."""
    images = []
    for ir, vis in pairs:
        a = load_image_for_metric(ir) / 255
        b = load_image_for_metric(vis) / 255
        grey = [x if x.ndim == 2 else rgb_to_luma_np(x) for x in (a, b)]
        images.append((grey[0] + grey[1]) / 2)
    return images


def bright_region_mean(vis_path, fused):
    """Mean fused luma where the visible image's luma > BRIGHT_LUMA."""
    vis = load_image_for_metric(vis_path) / 255
    vis = vis if vis.ndim == 2 else rgb_to_luma_np(vis)
    region = vis > BRIGHT_LUMA
    if not region.any():
        raise CLIError(f'--bright-pair: no pixel of {vis_path} has luma above '
                       f'{BRIGHT_LUMA}')
    fused = np.floor(np.clip(fused, 0, 1) * 255 + 0.5) / 255
    fused = fused if fused.ndim == 2 else rgb_to_luma_np(fused)
    return float(fused[region].mean())


def flat_pair_level(model, size=96):
    """Mean fused level of two flat sources at ``FLAT_LEVELS``."""
    ir, vis = (np.full((size, size), level, np.float32)
               for level in FLAT_LEVELS)
    return float(np.mean(fuse(model, ir, vis, colour_mode='ivf',
                              tile_size=0)))


@torch.no_grad()
def pretext_scores(model, cfg, max_batches=None):
    """PSNR / SSIM of the fused image on the config's pretext val set."""
    from mmengine.runner import Runner
    loader_cfg = cfg.val_dataloader.copy()
    loader_cfg['num_workers'] = 0
    loader_cfg['persistent_workers'] = False
    loader = Runner.build_dataloader(loader_cfg)
    metric = PretextReconstructionMetric()
    for i, data in enumerate(loader):
        if max_batches is not None and i >= max_batches:
            break
        samples = model.test_step(data)
        metric.process(data, samples)
    return metric.compute_metrics(metric.results)


def format_table(rows):
    keys = ['pretext_psnr', 'pretext_ssim'] + list(DEV_METRICS) + \
        [k for k in ('VIF_ir', 'VIF_vis') if k in rows[0]] + \
        ['bright', 'flat']
    lines = ['| checkpoint | iter | ' + ' | '.join(keys) + ' |',
             '|---|---|' + '---|' * len(keys)]
    for row in rows:
        cells = []
        for key in keys:
            value = row.get(key)
            cells.append('-' if value is None else f'{value:.4g}')
        lines.append(f"| {row['name']} | {row['iter']} | " +
                     ' | '.join(cells) + ' |')
    return '\n'.join(lines)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = load_config(args.config)
    checkpoints = expand_checkpoints(args.checkpoints)
    pairs = dev_pairs(args.dev_root, args.num_pairs, args.stride)
    bright_ir, bright_vis = args.bright_pair
    for path in args.bright_pair:
        if not osp.isfile(path):
            raise CLIError(f'--bright-pair: file not found: {path}')
    rows = [dict(name='pixel average (reference)', iter='-',
                 **score_fused(pairs, average_fusion(pairs),
                               args.vif_split),
                 bright=bright_region_mean(
                     bright_vis,
                     average_fusion([tuple(args.bright_pair)])[0]),
                 flat=float(np.mean(FLAT_LEVELS)))]
    print(format_table(rows), flush=True)
    for path in checkpoints:
        start = time.time()
        model = init_fuser(cfg, path)
        model.test_cfg['shift_step'] = args.shift_step
        model.check_test_cfg()
        row = dict(name=osp.basename(path), iter=iteration_of(path))
        if not args.no_pretext:
            scores = pretext_scores(model, cfg, args.pretext_batches)
            row['pretext_psnr'] = scores['psnr_fused']
            row['pretext_ssim'] = scores['ssim_fused']
        fused = [fuse(model, ir, vis, colour_mode='ivf', tile_size=0)
                 for ir, vis in pairs]
        row.update(score_fused(pairs, fused, args.vif_split))
        row['bright'] = bright_region_mean(
            bright_vis,
            fuse(model, bright_ir, bright_vis, colour_mode='ivf', tile_size=0))
        row['flat'] = flat_pair_level(model)
        row['seconds'] = round(time.time() - start, 1)
        rows.append(row)
        print(format_table(rows[-1:]).split('\n')[-1], flush=True)
    table = format_table(rows)
    print('\n' + table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table + '\n')
        with open(osp.splitext(args.out)[0] + '.json', 'w') as f:
            json.dump(dict(config=args.config, dev_pairs=pairs, rows=rows), f,
                      indent=1)


if __name__ == '__main__':
    main()
