"""Benchmark DeFusion++ pretext training speed and memory.

Builds the model of a config and a synthetic batch of pretext pairs, runs
``--warmup`` then ``--iters`` training iterations (forward, backward, Adam
step) and prints a markdown table::

    python tools/analysis_tools/benchmark_pretrain.py \
        configs/_base_/models/defusionpp_vit-tiny-p16.py --batch-size 16

Peak memory is ``torch.cuda.max_memory_allocated`` on a GPU and the peak
resident set size of the process (``resource.getrusage``) on CPU.

To put the speed in proportion to the machine, the same run times a plain
square matrix product (``--matmul-size``, float32, or bfloat16 with
``--amp``) and counts the FLOPs of one training iteration with
``torch.utils.flop_counter.FlopCounterMode`` (matrix products, convolutions
and attention, forward and backward): ``GFLOP/s`` is what the training step
achieves, ``of matmul`` that as a fraction of the plain product's rate.
"""
import argparse
import resource
import sys
import time

import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope

import defusion  # noqa: F401  (registries and compat fixes)
from defusion.registry import MODELS
from defusion.structures import FusionDataSample
from defusion.utils.cli import CLIError, load_config, run_cli


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Benchmark DeFusion++ pretext training')
    parser.add_argument('config', help='config with a DeFusionPP model')
    parser.add_argument(
        '--batch-size',
        type=int,
        help='pairs per iteration (default: the config\'s '
        'train_dataloader.batch_size, else 16)')
    parser.add_argument(
        '--img-size',
        type=int,
        help='square pair size, a multiple of 16 (default: the config\'s '
        'crop_size, else 224)')
    parser.add_argument(
        '--iters', type=int, default=10, help='timed iterations')
    parser.add_argument(
        '--warmup', type=int, default=3, help='untimed iterations first')
    parser.add_argument(
        '--device', help='cpu or cuda[:i] (default: cuda if available)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='torch.autocast with bfloat16 (CUDA only)')
    parser.add_argument(
        '--threads', type=int, help='torch intra-op threads on CPU')
    parser.add_argument(
        '--profile',
        action='store_true',
        help='print the 10 most expensive ops of one iteration')
    parser.add_argument(
        '--matmul-size', type=int, default=1024,
        help='side of the reference matrix product')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config')
    return parser.parse_args(argv)


def synthetic_batch(batch_size: int, size: int, device, seed: int = 0):
    """Random pretext pairs as the pipeline packs them: inputs in [0, 1]
    (2, 3, H, W) per sample and the four targets."""
    g = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(batch_size):
        clean = torch.rand(3, size, size, generator=g)
        m1 = (torch.rand(1, size, size, generator=g) < 0.6).float()
        m2 = torch.clamp(
            (torch.rand(1, size, size, generator=g) < 0.6).float() + (1 - m1),
            max=1)
        common = m1 * m2
        noise = torch.rand(2, 3, size, size, generator=g)
        x1 = m1 * clean + (1 - m1) * noise[0]
        x2 = m2 * clean + (1 - m2) * noise[1]
        inputs.append(torch.stack([x1, x2]))
        samples.append(
            FusionDataSample(
                gt_clean=clean,
                gt_common=common * clean,
                gt_unique_a=(m1 - common) * clean,
                gt_unique_b=(m2 - common) * clean))
    return dict(inputs=inputs, data_samples=samples)


def peak_memory_mib(device: torch.device) -> float:
    if device.type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2**20
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10


def matmul_gflops(size: int, device, dtype=torch.float32,
                  seconds: float = 1.0) -> float:
    """Rate (GFLOP/s) of a plain (size x size) @ (size x size) product."""
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    for _ in range(2):
        a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
    return 2 * size**3 * count / (time.perf_counter() - start) / 1e9


def describe_arch(cfg) -> str:
    arch = cfg.model.get('backbone', {}).get('arch', '?')
    if isinstance(arch, dict):
        return ','.join(f'{k}={v}' for k, v in arch.items())
    return str(arch)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if 'model' not in cfg:
        raise CLIError(f'{args.config} has no model')
    batch_size = args.batch_size or cfg.get('train_dataloader', {}).get(
        'batch_size', 16)
    size = args.img_size or cfg.get('crop_size', 224)
    if size % 16 != 0:
        raise CLIError(f'--img-size must be a multiple of 16, got {size}')
    if batch_size < 1 or args.iters < 1 or args.warmup < 0:
        raise CLIError('--batch-size and --iters must be positive and '
                       '--warmup non-negative')
    device = torch.device(args.device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise CLIError('--device cuda asked for but CUDA is not available')
    if args.amp and device.type != 'cuda':
        raise CLIError('--amp (bfloat16 autocast) is only supported on CUDA')
    if args.threads:
        torch.set_num_threads(args.threads)

    init_default_scope(cfg.get('default_scope', 'defusion'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).to(device).train()
    if not hasattr(model, 'loss'):
        raise CLIError(f'{type(model).__name__} cannot be trained')
    # The config's optimizer (e.g. Adam with fused=True), default Adam.
    from mmengine.optim import build_optim_wrapper
    optim_cfg = cfg.get('optim_wrapper') or dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))
    optimizer = build_optim_wrapper(
        model, dict(type='OptimWrapper',
                    optimizer=optim_cfg['optimizer'])).optimizer
    data = model.data_preprocessor(
        synthetic_batch(batch_size, size, device), True)

    def step():
        with torch.autocast(
                device.type, dtype=torch.bfloat16, enabled=args.amp):
            losses = model(data['inputs'], data['data_samples'], mode='loss')
        loss = sum(losses.values())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss

    def sync():
        if device.type == 'cuda':
            torch.cuda.synchronize(device)

    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as counter:
        step()
    flops_per_iter = counter.get_total_flops()
    for _ in range(args.warmup):
        step()
    sync()
    reference = matmul_gflops(args.matmul_size, device,
                              torch.bfloat16 if args.amp else torch.float32)
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    start = time.perf_counter()
    for _ in range(args.iters):
        loss = step()
    sync()
    elapsed = time.perf_counter() - start
    if not torch.isfinite(loss):
        raise CLIError(f'the loss is not finite ({loss.item()})')

    pairs_per_s = batch_size * args.iters / elapsed
    device_name = torch.cuda.get_device_name(device) \
        if device.type == 'cuda' else \
        f'cpu ({torch.get_num_threads()} threads)'
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    achieved = flops_per_iter * args.iters / elapsed / 1e9
    print('| device | arch | params (M) | image size | batch | pairs/s | '
          's/iter | GFLOP/iter | GFLOP/s | matmul GFLOP/s | of matmul | '
          'peak memory (MiB) | AMP |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    print(f'| {device_name} | {describe_arch(cfg)} | {params / 1e6:.2f} | '
          f'{size}x{size} | {batch_size} | {pairs_per_s:.2f} | '
          f'{elapsed / args.iters:.3f} | {flops_per_iter / 1e9:.3g} | '
          f'{achieved:.3g} | {reference:.1f} | {achieved / reference:.0%} | '
          f'{peak_memory_mib(device):.0f} | {"bf16" if args.amp else "off"} |')

    if args.profile:
        activities = [torch.profiler.ProfilerActivity.CPU]
        sort_by = 'self_cpu_time_total'
        if device.type == 'cuda':
            activities.append(torch.profiler.ProfilerActivity.CUDA)
            sort_by = 'self_cuda_time_total'
        with torch.profiler.profile(activities=activities) as prof:
            step()
            sync()
        print()
        print(prof.key_averages().table(sort_by=sort_by, row_limit=10))
    return 0


if __name__ == '__main__':
    sys.exit(main())
