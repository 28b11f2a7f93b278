"""Train the four MSRS-361 detection variants with one ``max_iters`` and
collect mAP / mAP@0.5 into a markdown table.

Usage (from the repository root)::

    python3 tools/analysis_tools/run_downstream_det.py --max-iters 2000
    python3 tools/analysis_tools/run_downstream_det.py --collect-only

Each variant runs ``tools/train.py CONFIG --work-dir WORK_ROOT/VARIANT
--cfg-options ...`` in turn; the table uses the validation at the last
iteration (71 val pairs), read from the run's ``vis_data/scalars.json``.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
from glob import glob

CONFIG_DIR = 'configs/downstream'
VARIANTS = {
    # name: (config, input, initialisation)
    'fusion-pretrained':
    ('faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_msrs361.py',
     'VIS + IR', 'pretext checkpoint'),
    'fusion-scratch':
    ('faster-rcnn_defusionpp-vit-tiny-p16-scratch_fpn_1xb2-iter_msrs361.py',
     'VIS + IR', 'random'),
    'vis-only':
    ('faster-rcnn_defusionpp-vit-tiny-p16-vis_fpn_1xb2-iter_msrs361.py',
     'VIS only (as both sources)', 'pretext checkpoint'),
    'ir-only':
    ('faster-rcnn_defusionpp-vit-tiny-p16-ir_fpn_1xb2-iter_msrs361.py',
     'IR only (as both sources)', 'pretext checkpoint'),
}
DEFAULT_CKPT = ('checkpoints/'
                'defusionpp_vit-tiny-p16_shared-pretext-05a82152.pth')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--max-iters', type=int, default=2000)
    parser.add_argument(
        '--val-interval',
        type=int,
        help='validation interval (default: max-iters, i.e. once at the end)')
    parser.add_argument('--checkpoint', default=DEFAULT_CKPT,
                        help='DeFusionPP pretext checkpoint')
    parser.add_argument('--work-root', default='work_dirs/downstream_det')
    parser.add_argument('--variants', nargs='+', choices=list(VARIANTS),
                        default=list(VARIANTS))
    parser.add_argument('--label-dir', default=None,
                        help='label folder, e.g. labels_vi (default: the '
                        "config's labels_fused)")
    parser.add_argument('--out', help='markdown file (default: '
                        'WORK_ROOT/results.md)')
    parser.add_argument('--collect-only', action='store_true',
                        help='only build the table from existing runs')
    parser.add_argument('--dry-run', action='store_true',
                        help='print the training commands and exit')
    return parser.parse_args(argv)


def train_command(args, name):
    config = osp.join(CONFIG_DIR, VARIANTS[name][0])
    val_interval = args.val_interval or args.max_iters
    options = [
        f'train_cfg.max_iters={args.max_iters}',
        f'train_cfg.val_interval={val_interval}',
        # warm-up: 100 iterations, or a tenth of a shorter run
        f'param_scheduler.0.end={min(100, max(1, args.max_iters // 10))}',
        f'param_scheduler.1.end={args.max_iters}',
        f'default_hooks.checkpoint.interval={args.max_iters}',
    ]
    if VARIANTS[name][2] != 'random':
        options.append(f'model.backbone.init_cfg.checkpoint={args.checkpoint}')
    if args.label_dir:
        options += [
            f'{loader}.dataset.data_prefix.label={args.label_dir}'
            for loader in ('train_dataloader', 'val_dataloader',
                           'test_dataloader')
        ]
    return [
        sys.executable, 'tools/train.py', config, '--work-dir',
        osp.join(args.work_root, name), '--cfg-options'
    ] + options


def final_metrics(work_dir, max_iters):
    """The validation record at ``max_iters`` of the newest run, or None."""
    runs = sorted(glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    for path in reversed(runs):
        with open(path) as f:
            records = [json.loads(line) for line in f if line.strip()]
        val = [r for r in records if 'coco/bbox_mAP' in r]
        if val and val[-1].get('step') == max_iters:
            return val[-1]
    return None


def results_table(args):
    lines = [
        f'MSRS-361 split (290 train / 71 val), Faster R-CNN + FPN, '
        f'{args.max_iters} iterations, batch 2, 320x240 input, labels: '
        f'{args.label_dir or "labels_fused"}. Not comparable with published '
        'numbers (they train on the 1,083 MSRS train pairs).', '',
        '| Variant | Input | Backbone init | mAP | mAP@0.5 | mAP@0.75 |',
        '|---|---|---|---|---|---|'
    ]
    for name in args.variants:
        _, inputs, init = VARIANTS[name]
        rec = final_metrics(osp.join(args.work_root, name), args.max_iters)
        if rec is None:
            cells = ['(not run)'] * 3
        else:
            cells = [
                f'{100 * rec[k]:.1f}' for k in
                ('coco/bbox_mAP', 'coco/bbox_mAP_50', 'coco/bbox_mAP_75')
            ]
        lines.append(f'| {name} | {inputs} | {init} | ' + ' | '.join(cells) +
                     ' |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    if args.max_iters < 1:
        sys.exit('--max-iters must be >= 1')
    if args.val_interval and args.max_iters % args.val_interval:
        sys.exit('--val-interval must divide --max-iters so that the last '
                 'iteration is validated')
    needs_ckpt = any(VARIANTS[n][2] != 'random' for n in args.variants)
    if not args.collect_only and not args.dry_run and needs_ckpt and \
            not osp.isfile(args.checkpoint):
        sys.exit(f'pretext checkpoint not found: {args.checkpoint} '
                 '(pass --checkpoint PATH)')
    if not args.collect_only:
        for name in args.variants:
            cmd = train_command(args, name)
            print('+', ' '.join(shlex.quote(c) for c in cmd), flush=True)
            if args.dry_run:
                continue
            proc = subprocess.run(cmd)
            if proc.returncode != 0:
                sys.exit(f'training of {name} failed (exit code '
                         f'{proc.returncode})')
        if args.dry_run:
            return
    table = results_table(args)
    out = args.out or osp.join(args.work_root, 'results.md')
    if osp.dirname(out):
        os.makedirs(osp.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        f.write(table)
    print(table)
    print(f'written to {out}')


if __name__ == '__main__':
    main()
