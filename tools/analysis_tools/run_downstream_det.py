"""Train the MSRS-361 detection variants under one protocol and collect
their learning curves and final mAP into a markdown table.

Usage (from the repository root)::

    # frozen encoder + CUD (only pyramid, FPN and heads train), 4 variants,
    # seeds 0 and 1 for fusion-pretrained and fusion-scratch, 2 runs at once
    python3 tools/analysis_tools/run_downstream_det.py --protocol frozen \
        --max-iters 1500 --val-interval 300 --seeds 0 1 --jobs 2
    python3 tools/analysis_tools/run_downstream_det.py --protocol frozen \
        --max-iters 1500 --val-interval 300 --seeds 0 1 --collect-only

Each run is ``tools/train.py CONFIG --work-dir
WORK_ROOT/PROTOCOL/VARIANT_sSEED --cfg-options ...``; its validations
(71 val pairs, every ``--val-interval`` iterations) are read from the run's
``vis_data/scalars.json`` and its wall time from ``run_info.json``, which
this script writes next to it.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import statistics
import subprocess
import sys
import time
from glob import glob

from defusion.apis.model_hub import REPO_ROOT, RECOMMENDED_MODEL, get_model

DEFAULT_CONFIG = ('configs/downstream/'
                  'faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py')
VARIANTS = {
    # name: (cfg options on --config, input, initialisation); the same as
    # the -scratch / -vis / -ir configs of configs/downstream
    'fusion-pretrained': ([], 'VIS + IR', 'pretext checkpoint'),
    'fusion-scratch': (['model.backbone.init_cfg=None'], 'VIS + IR',
                       'random'),
    'vis-only': (['model.backbone.mode=vis'], 'VIS only (as both sources)',
                 'pretext checkpoint'),
    'ir-only': (['model.backbone.mode=ir'], 'IR only (as both sources)',
                'pretext checkpoint'),
}
PROTOCOLS = {
    # name: (cfg options, what trains)
    'frozen': (['model.backbone.frozen_encoder=True',
                'model.backbone.frozen_cud=True'],
               'encoder + CUD frozen; pyramid, FPN and heads train'),
    'finetune': ([], 'everything trains'),
}
# the recommended model's weights in model-index.yml (the committed checkpoint)
DEFAULT_CKPT = osp.relpath(get_model(RECOMMENDED_MODEL)[1], REPO_ROOT)
METRICS = ('coco/bbox_mAP', 'coco/bbox_mAP_50', 'coco/bbox_mAP_75')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='detector config of the fusion-pretrained '
                        'variant; the others change it by cfg options '
                        '(default: the 320x240 CPU config)')
    parser.add_argument('--protocol', choices=list(PROTOCOLS),
                        default='frozen')
    parser.add_argument('--max-iters', type=int, default=1500)
    parser.add_argument(
        '--val-interval', type=int,
        help='validation interval, the points of the learning curve '
        '(default: max-iters / 5)')
    parser.add_argument('--lr', type=float,
                        help="AdamW learning rate (default: the config's)")
    parser.add_argument('--checkpoint', default=DEFAULT_CKPT,
                        help='DeFusionPP pretext checkpoint')
    parser.add_argument('--work-root', default='work_dirs/downstream_det',
                        help='runs go to WORK_ROOT/PROTOCOL/VARIANT_sSEED')
    parser.add_argument('--variants', nargs='+', choices=list(VARIANTS),
                        default=list(VARIANTS))
    parser.add_argument('--seeds', nargs='+', type=int, default=[0],
                        help='seeds of the --repeat variants; the others '
                        'run with the first one')
    parser.add_argument(
        '--repeat', nargs='+', choices=list(VARIANTS),
        default=['fusion-pretrained', 'fusion-scratch'],
        help='variants run with every seed (default: fusion-pretrained '
        'fusion-scratch)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='runs at once; each gets cpus / jobs threads')
    parser.add_argument('--label-dir', default=None,
                        help='label folder, e.g. labels_vi (default: the '
                        "config's labels_fused)")
    parser.add_argument('--out', help='markdown file (default: '
                        'WORK_ROOT/PROTOCOL/results.md)')
    parser.add_argument('--collect-only', action='store_true',
                        help='only build the table from existing runs')
    parser.add_argument('--dry-run', action='store_true',
                        help='print the training commands and exit')
    args = parser.parse_args(argv)
    if args.val_interval is None:
        args.val_interval = max(1, args.max_iters // 5)
    return args


def check_args(args):
    """One-line errors for arguments that cannot work."""
    if args.max_iters < 1:
        sys.exit('--max-iters must be >= 1')
    if args.val_interval < 1 or args.max_iters % args.val_interval:
        sys.exit(f'--val-interval ({args.val_interval}) must divide '
                 f'--max-iters ({args.max_iters}) so that the last '
                 'iteration is validated')
    if not osp.isfile(args.config):
        sys.exit(f'--config: file not found: {args.config}')
    if args.jobs < 1:
        sys.exit('--jobs must be >= 1')
    if args.lr is not None and not args.lr > 0:
        sys.exit(f'--lr must be > 0, got {args.lr}')
    needs_ckpt = any(VARIANTS[n][2] != 'random' for n in args.variants)
    if not args.collect_only and not args.dry_run and needs_ckpt and \
            not osp.isfile(args.checkpoint):
        sys.exit(f'pretext checkpoint not found: {args.checkpoint} '
                 '(pass --checkpoint PATH)')


def runs(args):
    """(variant, seed) of every run, in the order they are started."""
    out = []
    for seed in args.seeds:
        for name in args.variants:
            if seed == args.seeds[0] or name in args.repeat:
                out.append((name, seed))
    return out


def work_dir(args, name, seed):
    return osp.join(args.work_root, args.protocol, f'{name}_s{seed}')


def train_command(args, name, seed=0):
    options = [
        f'train_cfg.max_iters={args.max_iters}',
        f'train_cfg.val_interval={args.val_interval}',
        # warm-up: 100 iterations, or a tenth of a shorter run
        f'param_scheduler.0.end={min(100, max(1, args.max_iters // 10))}',
        f'param_scheduler.1.end={args.max_iters}',
        f'default_hooks.checkpoint.interval={args.max_iters}',
        f'randomness.seed={seed}',
    ] + PROTOCOLS[args.protocol][0] + VARIANTS[name][0]
    if args.lr is not None:
        options.append(f'optim_wrapper.optimizer.lr={args.lr}')
    if VARIANTS[name][2] != 'random':
        options.append(f'model.backbone.init_cfg.checkpoint={args.checkpoint}')
    if args.label_dir:
        options += [
            f'{loader}.dataset.data_prefix.label={args.label_dir}'
            for loader in ('train_dataloader', 'val_dataloader',
                           'test_dataloader')
        ]
    return [
        sys.executable, 'tools/train.py', args.config, '--work-dir',
        work_dir(args, name, seed), '--cfg-options'
    ] + options


def validations(run_dir):
    """{step: validation record} of the newest log in ``run_dir`` that has
    any ({} if none)."""
    logs = sorted(glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))
    for path in reversed(logs):
        with open(path) as f:
            records = [json.loads(line) for line in f if line.strip()]
        val = {r['step']: r for r in records if METRICS[0] in r}
        if val:
            return val
    return {}


def run_info(run_dir):
    path = osp.join(run_dir, 'run_info.json')
    if not osp.isfile(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _mean_spread(values):
    """'m' for one value, 'm ± d' (d = half the range) for several."""
    if len(values) == 1:
        return f'{values[0]:.1f}'
    half = (max(values) - min(values)) / 2
    return f'{statistics.mean(values):.1f} ± {half:.1f}'


def results_table(args):
    steps = list(range(args.val_interval, args.max_iters + 1,
                       args.val_interval))
    head = (f'Protocol **{args.protocol}** ({PROTOCOLS[args.protocol][1]}). '
            f'MSRS-361 split (290 train / 71 val), Faster R-CNN + FPN, '
            f'{args.max_iters} iterations of `{osp.basename(args.config)}`, '
            'labels: '
            f'{args.label_dir or "labels_fused"}, lr '
            f'{args.lr if args.lr is not None else "of the config"}. '
            'mAP in % (COCO bbox x 100). Not comparable with published '
            'numbers (they train on the 1,083 MSRS train pairs).')
    final = ['| Variant | Input | Backbone init | seeds | mAP | mAP@0.5 | '
             'mAP@0.75 | wall time per run |',
             '|---|---|---|---|---|---|---|---|']
    curve = ['| Run | ' + ' | '.join(str(s) for s in steps) + ' |',
             '|---|' + '---|' * len(steps)]
    by_variant = {}
    for name, seed in runs(args):
        run_dir = work_dir(args, name, seed)
        val = validations(run_dir)
        by_variant.setdefault(name, []).append((seed, val, run_info(run_dir)))
        cells = [f'{100 * val[s]["coco/bbox_mAP_50"]:.1f}'
                 if s in val else '-' for s in steps]
        curve.append(f'| {name} s{seed} | ' + ' | '.join(cells) + ' |')
    for name, results in by_variant.items():
        _, inputs, init = VARIANTS[name]
        # only runs that reached (and validated) the last iteration count
        done = [(s, v, i) for s, v, i in results if args.max_iters in v]
        if not done:
            cells = ['-', '(not run)', '', '', '']
        else:
            last = [v[args.max_iters] for _, v, _ in done]
            cells = [', '.join(str(s) for s, _, _ in done)] + [
                _mean_spread([100 * r[k] for r in last]) for k in METRICS]
            walls = [i['wall_s'] / 60 for _, _, i in done if 'wall_s' in i]
            threads = sorted({i['threads'] for _, _, i in done
                              if 'threads' in i})
            wall = f'{statistics.mean(walls):.0f} min' if walls else '-'
            if threads:
                wall += f' ({"/".join(map(str, threads))} thread(s) each)'
            cells.append(wall)
        final.append(f'| {name} | {inputs} | {init} | ' + ' | '.join(cells)
                     + ' |')
    return '\n'.join([
        head, '', 'Final validation (mean ± half the range over seeds):', '',
        *final, '', 'Learning curves, mAP@0.5 (%) at iteration:', '', *curve
    ]) + '\n'


def launch(cmd, threads, run_dir):
    """Start one training run with ``threads`` intra-op threads."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    os.makedirs(run_dir, exist_ok=True)
    log = open(osp.join(run_dir, 'train_stdout.log'), 'w')
    proc = subprocess.Popen(cmd, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    return proc, log, time.time()


def train_all(args):
    """Run every (variant, seed), ``args.jobs`` at a time."""
    threads = max(1, (os.cpu_count() or 1) // args.jobs)
    todo = runs(args)
    running = []
    failed = []
    while todo or running:
        while todo and len(running) < args.jobs:
            name, seed = todo.pop(0)
            cmd = train_command(args, name, seed)
            print('+', ' '.join(shlex.quote(c) for c in cmd), flush=True)
            running.append(((name, seed), *launch(
                cmd, threads, work_dir(args, name, seed))))
        time.sleep(2)
        for item in list(running):
            (name, seed), proc, log, start = item
            if proc.poll() is None:
                continue
            running.remove(item)
            log.close()
            run_dir = work_dir(args, name, seed)
            wall = time.time() - start
            with open(osp.join(run_dir, 'run_info.json'), 'w') as f:
                json.dump(dict(wall_s=round(wall, 1), threads=threads,
                               jobs=args.jobs, returncode=proc.returncode),
                          f)
            status = 'ok' if proc.returncode == 0 else \
                f'FAILED (exit code {proc.returncode})'
            print(f'{name} s{seed}: {status}, {wall / 60:.1f} min; log '
                  f'{osp.join(run_dir, "train_stdout.log")}', flush=True)
            if proc.returncode:
                failed.append(f'{name} s{seed}')
    return failed


def main(argv=None):
    args = parse_args(argv)
    check_args(args)
    if args.dry_run:
        for name, seed in runs(args):
            print(' '.join(shlex.quote(c)
                           for c in train_command(args, name, seed)))
        return
    failed = [] if args.collect_only else train_all(args)
    table = results_table(args)
    out = args.out or osp.join(args.work_root, args.protocol, 'results.md')
    if osp.dirname(out):
        os.makedirs(osp.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        f.write(table)
    print(table)
    print(f'written to {out}')
    if failed:
        sys.exit(f'training failed for: {", ".join(failed)} (see their '
                 'train_stdout.log)')


if __name__ == '__main__':
    main()
