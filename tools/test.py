"""Test (evaluate) a defusion model:
``python tools/test.py CONFIG CHECKPOINT [options]``.

CHECKPOINT may be ``none`` for models without weights (classical baselines).
"""
import argparse
import json
import os
import os.path as osp

from mmengine.runner import Runner

import defusion  # noqa: F401  (registries and compat fixes)
from defusion.utils import register_all_modules
from defusion.utils.checkpoint_check import validate_checkpoint
from defusion.utils.cli import (CLIError, add_runner_args,
                                 apply_runner_args, load_config,
                                 parse_runner_args, run_cli)
from defusion.utils.compat import close_distributed


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a defusion model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', help='checkpoint file, or "none" for no weights')
    parser.add_argument('--work-dir', help='the dir to save logs')
    parser.add_argument(
        '--out', help='write the metric results to this JSON file')
    parser.add_argument(
        '--show-dir', help='write the fused images into this folder')
    parser.add_argument(
        '--force',
        action='store_true',
        help='allow --out / --show-dir to overwrite existing files')
    add_runner_args(parser, 'model.test_cfg.x=1')
    return parse_runner_args(parser, argv)


def merge_args(cfg, args):
    apply_runner_args(cfg, args)

    if args.checkpoint.lower() == 'none':
        cfg.load_from = None
    elif not osp.isfile(args.checkpoint):
        raise CLIError(f'checkpoint file not found: {args.checkpoint}')
    else:
        cfg.load_from = args.checkpoint

    if args.out and osp.exists(args.out) and not args.force:
        raise CLIError(f'--out: {args.out} exists; pass --force to '
                       'overwrite it')
    if args.show_dir:
        if osp.isdir(args.show_dir) and os.listdir(args.show_dir) \
                and not args.force:
            raise CLIError(f'--show-dir: {args.show_dir} is not empty; pass '
                           '--force to write into it')
        cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
            dict(type='FusedImageWriterHook', out_dir=args.show_dir)
        ]
    return cfg


def check_weights(model, checkpoint):
    """Validate the checkpoint against the built model before testing; a
    model with trainable weights needs one."""
    model = getattr(model, 'module', model)
    if checkpoint.lower() == 'none':
        if any(p.requires_grad for p in model.parameters()):
            raise CLIError(f'{type(model).__name__} has trainable weights: '
                           'give its checkpoint instead of "none"')
        return
    validate_checkpoint(checkpoint, model,
                        getattr(model, 'inference_optional_keys', ()))


@run_cli
def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = load_config(args.config, args.cfg_options)
    cfg = merge_args(cfg, args)
    runner = Runner.from_cfg(cfg)
    check_weights(runner.model, args.checkpoint)
    metrics = runner.test()
    del runner
    close_distributed()
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump({k: float(v) for k, v in metrics.items()}, f, indent=2)
        print(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
