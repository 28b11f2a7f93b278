"""Fuse image pairs with a defusion model.

Two files -> one file, with the recommended DeFusion++ model::

    python tools/fuse.py ir.png vi.png -o fused.png

A named model of model-index.yml, or a config and its checkpoint::

    python tools/fuse.py ir.png vi.png -o fused.png --model gff_tno25
    python tools/fuse.py CONFIG CHECKPOINT ir.png vi.png -o fused.png

Two folders (paired by file name without extension) -> one folder::

    python tools/fuse.py ir/ vi/ -o out/ --task ivf

CHECKPOINT may be ``none`` for the classical baselines (no weights).
Existing outputs are never overwritten without ``--force`` and inputs never;
all targets and inputs are checked before anything is written, and if a
file turns out to be unreadable while fusing, the outputs of this run are
removed again. Each source is decoded once.
"""
import argparse
import os
import os.path as osp
import sys
from collections import defaultdict

try:
    import defusion  # noqa: F401  (registries and compat fixes)
except ImportError:  # not installed: run from a source checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    import defusion  # noqa: F401
from defusion.apis import (RECOMMENDED_MODEL, TASK_COLOUR_MODES,
                           FusionInferencer)
from defusion.datasets import pair_folders
from defusion.datasets.transforms import probe_image
from defusion.utils.cli import CLIError, check_device, run_cli
from defusion.visualization import save_fusion_figure, write_image

COMPONENT_SUFFIXES = dict(
    common='_common', unique_a='_unique_a', unique_b='_unique_b')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Fuse two images (or two folders of paired images).')
    parser.add_argument(
        'items', nargs='+', metavar='[CONFIG CHECKPOINT] IMG_A IMG_B',
        help='the two sources (image files or folders), optionally after a '
        'config file and its checkpoint ("none" for classical baselines)')
    parser.add_argument(
        '--model', help='a model name of model-index.yml (default: '
        f'{RECOMMENDED_MODEL}); not with CONFIG CHECKPOINT')
    parser.add_argument(
        '-o', '--out', required=True,
        help='output image file (file inputs) or folder (folder inputs)')
    parser.add_argument(
        '--task', choices=sorted(TASK_COLOUR_MODES),
        help='task preset for colour handling: ivf/med fuse luminance and '
        'restore the colour source\'s chroma, mef/mff fuse RGB (default: '
        'the config\'s test pipeline)')
    parser.add_argument(
        '--save-components', action='store_true',
        help='also write the common / unique images (when the model '
        'predicts them) and a figure with all panels')
    parser.add_argument(
        '--show-dir', help='write one figure per pair (sources, components, '
        'fused) into this folder')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--tile-size', type=int, default=None,
        help='tile size (a multiple of the model\'s size divisor, 16 for '
        'DeFusion++); default: tile only inputs above '
        '1024x1024 pixels with 512 px tiles; 0 disables tiling')
    parser.add_argument(
        '--tile-overlap', type=int, default=None,
        help='overlap of neighbouring tiles (a multiple of the size '
        'divisor; default 64)')
    parser.add_argument(
        '--shift-step', type=int, default=None,
        help='average the fusions of the input shifted by multiples of this '
        'many pixels below the size divisor (DeFusion++ default 4: 16 '
        'passes; 8: 4 passes; 0: one pass, fastest)')
    parser.add_argument(
        '--ext', default='.png', help='output image format for folder '
        'inputs (default .png)')
    parser.add_argument(
        '--force', action='store_true', help='overwrite existing outputs')
    return parser.parse_args(argv)


def split_items(args):
    """Set ``config``, ``checkpoint``, ``img_a``, ``img_b`` from the
    positional items (2: sources; 4: config, checkpoint, sources)."""
    items = args.items
    if len(items) == 4:
        if args.model:
            raise CLIError('give either --model or CONFIG CHECKPOINT')
        args.config, args.checkpoint, args.img_a, args.img_b = items
        if not osp.isfile(args.config):
            raise CLIError(f'config file not found: {args.config}')
        if args.checkpoint.lower() != 'none' and \
                not osp.isfile(args.checkpoint):
            raise CLIError(f'checkpoint file not found: {args.checkpoint}')
    elif len(items) == 2:
        args.config, args.checkpoint = args.model or RECOMMENDED_MODEL, None
        args.img_a, args.img_b = items
    else:
        raise CLIError(f'expected IMG_A IMG_B or CONFIG CHECKPOINT IMG_A '
                       f'IMG_B, got {len(items)} arguments')
    return args


def _preview(items, limit=5):
    items = list(items)
    more = f' ... ({len(items)} in all)' if len(items) > limit else ''
    return ', '.join(items[:limit]) + more


def collect_pairs(args):
    """Return ``[(name, path_a, path_b, out_path)]`` and the mode."""
    for path in (args.img_a, args.img_b):
        if not osp.exists(path):
            raise FileNotFoundError(f'input not found: {path}')
    is_dir = (osp.isdir(args.img_a), osp.isdir(args.img_b))
    if is_dir == (True, True):
        if osp.isfile(args.out):
            raise CLIError(f'--out {args.out} is a file; folder inputs need '
                           'an output folder')
        ext = args.ext if args.ext.startswith('.') else f'.{args.ext}'
        pairs = pair_folders(args.img_a, args.img_b)
        return [(p['name'], p['img_a_path'], p['img_b_path'],
                 osp.join(args.out, p['name'] + ext)) for p in pairs], True
    if is_dir == (False, False):
        if osp.isdir(args.out):
            raise CLIError(f'--out {args.out} is a folder; two input files '
                           'give one output file (e.g. -o fused.png)')
        if not osp.splitext(args.out)[1]:
            raise CLIError(f'--out {args.out} has no image extension (e.g. '
                           '.png)')
        name = osp.splitext(osp.basename(args.out))[0]
        return [(name, args.img_a, args.img_b, args.out)], False
    raise CLIError('img_a and img_b must both be files or both be folders, '
                   f'got {args.img_a} and {args.img_b}')


def planned_outputs(pairs, args, components):
    """Map each pair name to the files it will write (fused first)."""
    plan = {}
    for name, _, _, out in pairs:
        stem, ext = osp.splitext(out)
        files = dict(fused=out)
        if args.save_components:
            for key in components:
                files[key] = stem + COMPONENT_SUFFIXES[key] + ext
        if args.show_dir:
            files['figure'] = osp.join(args.show_dir, f'{name}_figure.png')
        elif args.save_components:
            files['figure'] = stem + '_figure.png'
        plan[name] = files
    return plan


def check_inputs(pairs):
    """Check every source from its header (exists, is an image, both of a
    pair have one size) before anything is written; returns the conversion
    notes as ``{note: [paths]}``. The pixels are decoded once, when fused.
    """
    notes = defaultdict(list)
    for _, path_a, path_b, _ in pairs:
        (h_a, w_a), notes_a = probe_image(path_a)
        (h_b, w_b), notes_b = probe_image(path_b)
        if (h_a, w_a) != (h_b, w_b):
            raise ValueError(
                f'size mismatch: {path_a} is {w_a}x{h_a} but {path_b} is '
                f'{w_b}x{h_b} (WxH); fusion needs aligned pairs')
        for note in notes_a:
            notes[note].append(path_a)
        for note in notes_b:
            notes[note].append(path_b)
    return notes


def check_outputs(plan, pairs, args, folder_mode):
    """Before any work: every output can be written (an image format
    OpenCV encodes, a parent folder that exists or can be made) and none is
    one of the inputs (``--force`` never applies to inputs)."""
    import cv2
    inputs = {osp.realpath(p) for _, a, b, _ in pairs for p in (a, b)}
    if folder_mode:
        out_dir = osp.realpath(args.out)
        for folder in (args.img_a, args.img_b):
            if osp.realpath(folder) == out_dir:
                raise CLIError(f'--out {args.out} is an input folder; '
                               'choose another output folder')
    for files in plan.values():
        for path in files.values():
            if osp.realpath(path) in inputs:
                raise CLIError(f'output {path} is one of the input files; '
                               'choose another output name')
            ext = osp.splitext(path)[1]
            if not ext or not cv2.haveImageWriter('x' + ext):
                raise CLIError(f'output {path}: cannot write images of type '
                               f'{ext!r} (use e.g. .png, .jpg, .tif, .bmp)')
            parent = osp.dirname(osp.abspath(path))
            while not osp.exists(parent):
                parent = osp.dirname(parent)
            if not osp.isdir(parent) or not os.access(parent, os.W_OK):
                raise CLIError(f'output {path}: cannot create or write '
                               f'into {parent}')


class TileProgress:
    """A progress bar for the tiles of one large fusion, made on the first
    tile (the callback of ``FusionInferencer(..., progress=)``). Progress
    bars are drawn only on a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done, total):
        from mmengine.utils import ProgressBar
        if self.bar is None:
            self.bar = ProgressBar(total, file=sys.stderr)
        self.bar.update()
        if done == total:
            sys.stderr.write('\n')
            self.bar = None


def _quiet_opencv():
    """Our own messages name bad files; silence OpenCV's decoder logs."""
    try:
        import cv2
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    except (ImportError, AttributeError):  # pragma: no cover
        pass


def fuse_all(inferencer, pairs, plan, args, components, folder_mode):
    """Fuse every pair and write its files; returns the counts written.
    On an error the files this run wrote are removed again."""
    written, done = defaultdict(int), []
    progress, bars = None, sys.stderr.isatty()
    if folder_mode and bars:
        from mmengine.utils import ProgressBar
        progress = ProgressBar(len(pairs), file=sys.stderr)
    try:
        for name, path_a, path_b, _ in pairs:
            files = plan[name]
            result = inferencer(path_a, path_b, task=args.task,
                                progress=TileProgress() if bars and
                                not folder_mode else None)
            write_image(files['fused'], result['fused'])
            done.append(files['fused'])
            written['fused'] += 1
            for key in components:
                if key in result:
                    write_image(files[key], result[key])
                    done.append(files[key])
                    written['component'] += 1
            if 'figure' in files:
                source_a, source_b = result['sources']
                panels = dict(source_a=source_a, source_b=source_b,
                              **{k: v for k, v in result.items()
                                 if k != 'sources'})
                save_fusion_figure(
                    files['figure'], panels,
                    title=f'{osp.basename(path_a)} + '
                    f'{osp.basename(path_b)}')
                done.append(files['figure'])
                written['figure'] += 1
            if progress is not None:
                progress.update()
    except BaseException:
        for path in done:
            if osp.exists(path):
                os.remove(path)
        if bars:
            sys.stderr.write('\n')
        raise
    if progress is not None:
        sys.stderr.write('\n')
    return written


@run_cli
def main(argv=None):
    args = split_items(parse_args(argv))
    _quiet_opencv()
    check_device(args.device)
    pairs, folder_mode = collect_pairs(args)
    check_outputs(planned_outputs(pairs, args, list(COMPONENT_SUFFIXES)),
                  pairs, args, folder_mode)

    inferencer = FusionInferencer(args.config, args.checkpoint,
                                  device=args.device,
                                  tile_size=args.tile_size,
                                  tile_overlap=args.tile_overlap,
                                  shift_step=args.shift_step)
    components = list(inferencer.model.component_keys) \
        if args.save_components else []
    plan = planned_outputs(pairs, args, components)
    existing = [f for files in plan.values() for f in files.values()
                if osp.exists(f)]
    if existing and not args.force:
        raise CLIError(f'{len(existing)} output file(s) exist: '
                       f'{_preview(existing)}; pass --force to overwrite')
    notes = check_inputs(pairs)
    for note, paths in notes.items():
        what = ('16-bit images scaled to [0, 1]' if note == '16-bit' else
                'alpha channel dropped')
        print(f'note: {what}: {_preview(paths, 3)}', file=sys.stderr)
    written = fuse_all(inferencer, pairs, plan, args, components,
                       folder_mode)
    where = args.out if folder_mode else osp.dirname(osp.abspath(args.out))
    parts = [f'{written["fused"]} fused image(s)']
    if written['component']:
        parts.append(f'{written["component"]} component image(s)')
    if written['figure']:
        parts.append(f'{written["figure"]} figure(s)'
                     + (f' in {args.show_dir}' if args.show_dir else ''))
    print(f'wrote {", ".join(parts)} to {where}')


if __name__ == '__main__':
    main()
