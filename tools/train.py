"""Train a defusion model: ``python tools/train.py CONFIG [options]``."""
import argparse
import os.path as osp
import sys

from mmengine.runner import Runner

import defusion  # noqa: F401  (registries and compat fixes)
from defusion.utils import register_all_modules
from defusion.utils.checkpoint_check import (newest_readable_checkpoint,
                                             validate_checkpoint)
from defusion.utils.cli import (CLIError, add_runner_args,
                                 apply_runner_args, load_config,
                                 parse_runner_args, run_cli)
from defusion.utils.compat import close_distributed


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a defusion model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from a checkpoint path; without a value (or "auto") '
        'resume from the latest checkpoint in the work dir, if any')
    parser.add_argument(
        '--amp', action='store_true', help='enable automatic mixed precision')
    parser.add_argument(
        '--amp-dtype', choices=['float16', 'bfloat16'], default=None,
        help='autocast dtype with --amp (default float16 with a dynamic '
        'loss scale)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate with the total batch size')
    add_runner_args(parser, 'train_cfg.max_iters=10')
    return parse_runner_args(parser, argv)


def resume_checkpoint(work_dir):
    """The newest readable checkpoint of ``work_dir`` (None: start anew);
    says so when it had to skip unreadable ones."""
    path, skipped = newest_readable_checkpoint(work_dir)
    for bad, reason in skipped:
        print(f'--resume: skipping {bad}: {reason}', file=sys.stderr)
    if skipped and path:
        print(f'--resume: resuming from {path} instead', file=sys.stderr)
    if skipped and not path:
        raise CLIError(f'--resume: no readable checkpoint in {work_dir}')
    return path


def check_trainable(cfg, path):
    """A training config needs a train loop, a train dataloader and a model
    that has weights to learn."""
    missing = [k for k in ('train_dataloader', 'train_cfg', 'optim_wrapper')
               if not cfg.get(k)]
    if missing:
        raise CLIError(f'{path} is not a training config (it has no '
                       f'{", ".join(missing)}); classical fusion methods '
                       'need no training: use tools/test.py or tools/fuse.py')


def merge_args(cfg, args):
    """Apply the command-line switches to the config."""
    apply_runner_args(cfg, args)

    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper == 'AmpOptimWrapper':
            print('AMP is already enabled in the config.')
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        if args.amp_dtype:
            cfg.optim_wrapper.dtype = args.amp_dtype
    elif args.amp_dtype:
        raise CLIError('--amp-dtype needs --amp')

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = resume_checkpoint(cfg.work_dir)
    elif args.resume is not None:
        validate_checkpoint(args.resume)
        cfg.resume = True
        cfg.load_from = args.resume

    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise CLIError('--auto-scale-lr: the config has no '
                           '"auto_scale_lr" field (base_batch_size)')
        cfg.auto_scale_lr.enable = True

    load_from = cfg.get('load_from')
    if load_from and not args.resume and not osp.isfile(load_from):
        raise CLIError(f'load_from: checkpoint file not found: {load_from}')
    return cfg


@run_cli
def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = load_config(args.config, args.cfg_options)
    check_trainable(cfg, args.config)
    cfg = merge_args(cfg, args)
    runner = Runner.from_cfg(cfg)
    runner.train()
    del runner
    close_distributed()


if __name__ == '__main__':
    main()
