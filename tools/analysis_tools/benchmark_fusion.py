"""Benchmark fusion methods on the fusion test sets and measure their speed.

For every method and set the config ``configs/fusion/<method>_<set>.py`` is
run through mmengine's test loop (FusionMetric). Results: one markdown file
(a metric table per set, methods as rows, then a speed table) and a JSON.

Example::

    python tools/analysis_tools/benchmark_fusion.py \\
        --methods average maxabs laplacian gff wavelet \\
        --sets tno25 roadscene50 mri_ct mri_pet mri_spect mefb lytro msrs361 \\
        --out-dir work_dirs/benchmark_fusion

    # a learned method: give its checkpoint
    python tools/analysis_tools/benchmark_fusion.py \\
        --methods gff defusionpp_vit-tiny-p16_zeroshot \\
        --checkpoints defusionpp_vit-tiny-p16_zeroshot=ckpt.pth --sets tno25

Speed is measured on synthetic pairs (640x480 and 1024x768) with the model
built from the first set's config: pairs/s, Mpx/s, parameters, GFLOPs (of
the 'tensor' forward at 640x480, mmengine's counter; operators it does not
know are not counted, so classical filters are under-counted) and peak
memory (CUDA: ``max_memory_allocated``; CPU: peak increase of the C heap in
use, glibc ``mallinfo2`` sampled every millisecond, so very short peaks may
be missed), on CPU and on CUDA when available.
"""
import argparse
import ctypes
import json
import os
import os.path as osp
import sys
import tempfile
import threading
import time

try:
    import defusion  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import defusion  # noqa: F401

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner

from defusion.apis import init_fuser
from defusion.utils import register_all_modules
from defusion.utils.cli import CLIError, run_cli

ALL_SETS = ('tno25', 'roadscene50', 'msrs361', 'mri_ct', 'mri_pet',
            'mri_spect', 'mefb', 'lytro')
CLASSICAL = ('average', 'maxabs', 'laplacian', 'gff', 'wavelet')
SPEED_SIZES = ((640, 480), (1024, 768))  # (W, H)
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--methods', nargs='+', default=list(CLASSICAL),
        help='config prefixes: configs/fusion/<method>_<set>.py')
    parser.add_argument('--sets', nargs='+', default=list(ALL_SETS))
    parser.add_argument(
        '--checkpoints', nargs='*', default=[], metavar='METHOD=PATH',
        help='checkpoint per method (default "none": no weights)')
    parser.add_argument('--config-dir', default=osp.join(REPO, 'configs',
                                                         'fusion'))
    parser.add_argument('--out-dir', default='work_dirs/benchmark_fusion')
    parser.add_argument(
        '--max-pairs', type=int, default=None,
        help='evaluate only the first N pairs of each set (quick runs)')
    parser.add_argument('--no-metrics', action='store_true')
    parser.add_argument('--no-speed', action='store_true')
    parser.add_argument(
        '--devices', nargs='+', default=None,
        help='speed devices (default: cpu, plus cuda when available)')
    parser.add_argument(
        '--merge', metavar='JSON',
        help='benchmark_fusion.json of an earlier run: its rows are kept '
        'beside this run\'s (this run wins where both have a method/set)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed runs per size (after one warm-up)')
    return parser.parse_args(argv)


def parse_checkpoints(items):
    ckpts = {}
    for item in items:
        if '=' not in item:
            raise CLIError(f'--checkpoints: expected METHOD=PATH, got {item}')
        method, path = item.split('=', 1)
        if path.lower() != 'none' and not osp.isfile(path):
            raise CLIError(f'checkpoint file not found: {path}')
        ckpts[method] = path
    return ckpts


def config_path(config_dir, method, dataset):
    path = osp.join(config_dir, f'{method}_{dataset}.py')
    if not osp.isfile(path):
        raise CLIError(f'config file not found: {path} (method {method!r}, '
                       f'set {dataset!r})')
    return path


def run_metrics(cfg_path, checkpoint, work_dir, max_pairs):
    """Run the test loop of one config (on CUDA when available, as the
    Runner decides); returns the metric dict."""
    cfg = Config.fromfile(cfg_path)
    cfg.work_dir = work_dir
    cfg.load_from = None if checkpoint in (None, 'none') else checkpoint
    cfg.log_level = 'WARNING'
    if max_pairs:
        cfg.test_dataloader.dataset.indices = max_pairs
    cfg.test_dataloader.num_workers = 0
    cfg.test_dataloader.persistent_workers = False
    cfg.default_hooks.pop('logger', None)
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    return {k: float(v) for k, v in metrics.items()}


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks',
        'fsmblks', 'uordblks', 'fordblks', 'keepcost')]


def _heap_reader():
    """Bytes in use on the C heap (glibc ``mallinfo2``), else the RSS."""
    try:
        libc = ctypes.CDLL('libc.so.6')
        libc.mallinfo2.restype = _MallInfo2

        def heap():
            info = libc.mallinfo2()
            return info.uordblks + info.hblkhd

        return heap
    except (OSError, AttributeError):

        def rss():
            try:
                with open('/proc/self/statm') as f:
                    pages = int(f.read().split()[1])
                return pages * os.sysconf('SC_PAGE_SIZE')
            except (OSError, ValueError):
                return 0

        return rss


class PeakHostMemory:
    """Peak increase (bytes) of the host memory in use while active.

    Samples glibc's heap statistics (PyTorch CPU tensors live there) every
    millisecond in a thread; falls back to the process RSS elsewhere.
    """

    def __init__(self, interval=0.001):
        self.interval = interval
        self.peak = 0
        self.read = _heap_reader()
        self._stop = threading.Event()

    def _watch(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.read() - self.base)
            time.sleep(self.interval)

    def __enter__(self):
        self.base = self.read()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.read() - self.base)


def count_flops(model, inputs):
    try:
        from mmengine.analysis import get_model_complexity_info
        info = get_model_complexity_info(
            model, inputs=(inputs, ), show_table=False, show_arch=False)
        return info['flops'] / 1e9
    except Exception as err:  # the counter fails on some operators
        MMLogger.get_current_instance().warning(
            f'FLOP count failed: {err}')
        return None


@torch.no_grad()
def measure_speed(cfg_path, checkpoint, device, repeats):
    """Speed, size and memory of one model on one device."""
    model = init_fuser(cfg_path, checkpoint, device=device)
    result = dict(
        device=device,
        params_M=sum(p.numel() for p in model.parameters()) / 1e6)
    cuda = device.startswith('cuda')
    for width, height in SPEED_SIZES:
        torch.manual_seed(0)
        raw = torch.rand(1, 2, 3, height, width)
        data = model.data_preprocessor(dict(inputs=raw), False)
        inputs = data['inputs']
        if (width, height) == SPEED_SIZES[0]:
            result['GFLOPs@640x480'] = count_flops(model, inputs)
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        with PeakHostMemory() as host:
            model.predict(inputs)  # warm-up
            if cuda:
                torch.cuda.synchronize()
            start = time.perf_counter()
            for _ in range(repeats):
                model.predict(inputs)
            if cuda:
                torch.cuda.synchronize()
            elapsed = time.perf_counter() - start
        key = f'{width}x{height}'
        pairs = repeats / elapsed
        result[f'pairs/s@{key}'] = pairs
        result[f'Mpx/s@{key}'] = pairs * width * height / 1e6
        peak = torch.cuda.max_memory_allocated() if cuda else host.peak
        result[f'peak_MB@{key}'] = peak / 2**20
    return result


def _fmt(value, digits=4):
    if value is None:
        return 'n/a'
    if isinstance(value, float):
        return f'{value:.{digits}g}' if abs(value) < 1e4 else f'{value:.0f}'
    return str(value)


def markdown(results, speed):
    lines = ['# Fusion benchmark', '']
    for dataset, by_method in results.items():
        names = []
        for metrics in by_method.values():
            names += [k for k in metrics if k not in names and
                      k not in ('time', 'data_time')]
        lines += [f'## {dataset}', '',
                  '| method | ' + ' | '.join(names) + ' |',
                  '|---' * (len(names) + 1) + '|']
        for method, metrics in by_method.items():
            lines.append(f'| {method} | ' + ' | '.join(
                _fmt(metrics.get(n)) for n in names) + ' |')
        lines.append('')
    if speed:
        cols = ['params_M', 'GFLOPs@640x480']
        for w, h in SPEED_SIZES:
            cols += [f'pairs/s@{w}x{h}', f'Mpx/s@{w}x{h}', f'peak_MB@{w}x{h}']
        lines += ['## Speed (synthetic input)', '',
                  '| method | device | ' + ' | '.join(cols) + ' |',
                  '|---' * (len(cols) + 2) + '|']
        for row in speed:
            lines.append(f'| {row["method"]} | {row["device"]} | ' +
                         ' | '.join(_fmt(row.get(c)) for c in cols) + ' |')
        lines += ['', 'GFLOPs: mmengine counter, unknown operators not '
                  'counted. Peak memory: CPU, peak increase of the heap in '
                  'use (sampled every 1 ms); CUDA, max_memory_allocated.', '']
    return '\n'.join(lines)


def load_earlier(path):
    """The metrics, speed rows and checkpoints of a benchmark_fusion.json."""
    if not osp.isfile(path):
        raise CLIError(f'--merge: file not found: {path}')
    try:
        with open(path) as f:
            earlier = json.load(f)
        return (dict(earlier['metrics']), list(earlier['speed']),
                dict(earlier.get('checkpoints', {})))
    except (ValueError, KeyError, TypeError) as err:
        raise CLIError(f'--merge: {path} is not a benchmark_fusion.json '
                       f'({err})')


def merge_earlier(earlier, results, speed, ckpts):
    """This run's results, then the rows of an earlier run
    (:func:`load_earlier`) that were not rerun."""
    old_metrics, old_speed, old_ckpts = earlier
    merged = {}
    for dataset in dict.fromkeys([*results, *old_metrics]):
        rows = dict(results.get(dataset, {}))
        for method, metrics in old_metrics.get(dataset, {}).items():
            rows.setdefault(method, metrics)
        merged[dataset] = rows
    done = {(r['method'], r['device']) for r in speed}
    speed = speed + [r for r in old_speed
                     if (r['method'], r['device']) not in done]
    return merged, speed, {**old_ckpts, **ckpts}


@run_cli
def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    ckpts = parse_checkpoints(args.checkpoints)
    unknown = [s for s in args.sets if s not in ALL_SETS]
    if unknown:
        raise CLIError(f'unknown set(s) {unknown}; known: {list(ALL_SETS)}')
    configs = {(m, s): config_path(args.config_dir, m, s)
               for m in args.methods for s in args.sets}
    earlier = load_earlier(args.merge) if args.merge else None
    os.makedirs(args.out_dir, exist_ok=True)

    results = {}
    if not args.no_metrics:
        with tempfile.TemporaryDirectory() as work_root:
            for dataset in args.sets:
                results[dataset] = {}
                for method in args.methods:
                    print(f'[metrics] {method} on {dataset}', flush=True)
                    start = time.perf_counter()
                    results[dataset][method] = run_metrics(
                        configs[method, dataset], ckpts.get(method, 'none'),
                        osp.join(work_root, f'{method}_{dataset}'),
                        args.max_pairs)
                    results[dataset][method]['seconds'] = \
                        time.perf_counter() - start

    speed = []
    if not args.no_speed:
        devices = args.devices or (['cpu'] + (['cuda'] if
                                              torch.cuda.is_available()
                                              else []))
        for method in args.methods:
            for device in devices:
                print(f'[speed] {method} on {device}', flush=True)
                row = measure_speed(configs[method, args.sets[0]],
                                    ckpts.get(method, 'none'), device,
                                    args.repeats)
                speed.append(dict(method=method, **row))

    if earlier:
        results, speed, ckpts = merge_earlier(earlier, results, speed, ckpts)
    md_path = osp.join(args.out_dir, 'benchmark_fusion.md')
    json_path = osp.join(args.out_dir, 'benchmark_fusion.json')
    with open(md_path, 'w') as f:
        f.write(markdown(results, speed))
    with open(json_path, 'w') as f:
        json.dump(dict(metrics=results, speed=speed, max_pairs=args.max_pairs,
                       checkpoints=ckpts), f, indent=2)
    print(markdown(results, speed))
    print(f'written: {md_path}, {json_path}')


if __name__ == '__main__':
    main()
