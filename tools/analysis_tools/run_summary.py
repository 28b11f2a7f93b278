"""One-line summary of a training run from its work dir: iterations,
training pairs/s and the last pretext validation scores.

    python tools/analysis_tools/run_summary.py work_dirs/RUN

Reads the newest ``<timestamp>/vis_data/scalars.json`` (mmengine's local
visualiser backend) and the dumped config (for the batch size). Pairs/s is
the batch size over the mean logged iteration time, leaving out the first
logged window (start-up, compilation, cudnn autotuning).
"""
import argparse
import glob
import json
import os.path as osp
import sys

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmengine.config import Config

from defusion.utils.cli import CLIError, run_cli


def read_scalars(work_dir: str):
    """(config path, list of logged dicts) of the newest run in a work dir."""
    runs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))
    if not runs:
        raise CLIError(f'no */vis_data/scalars.json under {work_dir}')
    scalars = runs[-1]
    with open(scalars) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    configs = glob.glob(osp.join(osp.dirname(scalars), '*.py'))
    return (configs[0] if configs else None), rows


def summarise(work_dir: str) -> dict:
    config, rows = read_scalars(work_dir)
    train = [r for r in rows if 'time' in r and 'loss' in r]
    if not train:
        raise CLIError(f'{work_dir}: no logged training iterations')
    batch = None
    if config:
        batch = Config.fromfile(config).train_dataloader.batch_size
    times = [r['time'] for r in (train[1:] or train)]
    summary = dict(iterations=train[-1]['step'], batch_size=batch,
                   seconds_per_iter=sum(times) / len(times),
                   last_loss=train[-1]['loss'])
    if batch:
        summary['pairs_per_s'] = batch / summary['seconds_per_iter']
    val = [r for r in rows if 'pretext/psnr_fused' in r]
    if val:
        summary['pretext_psnr'] = val[-1]['pretext/psnr_fused']
        summary['pretext_ssim'] = val[-1]['pretext/ssim_fused']
    return summary


@run_cli
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir')
    args = parser.parse_args(argv)
    summary = summarise(args.work_dir)
    print(' '.join(f'{k}={v:.4g}' if isinstance(v, float) else f'{k}={v}'
                   for k, v in summary.items()))


if __name__ == '__main__':
    main()
