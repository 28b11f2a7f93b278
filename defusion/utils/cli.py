"""Helpers shared by the command-line tools: option checking and one-line
errors instead of tracebacks."""
import functools
import inspect
import os
import os.path as osp
import sys

from mmengine.config import Config, ConfigDict, DictAction

from .compat import cpu_distributed_defaults
from .config_resolution import resolve_config

# Top-level keys a Runner accepts; a --cfg-options key may add one of these.
_RUNNER_KEYS = {
    'work_dir', 'train_dataloader', 'val_dataloader', 'test_dataloader',
    'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr', 'optim_wrapper',
    'param_scheduler', 'val_evaluator', 'test_evaluator', 'default_hooks',
    'custom_hooks', 'data_preprocessor', 'load_from', 'resume', 'launcher',
    'env_cfg', 'log_processor', 'log_level', 'visualizer', 'default_scope',
    'randomness', 'experiment_name'
}


class CLIError(Exception):
    """An error caused by the user's input; printed as one line."""


def check_cfg_options(cfg: Config, options: dict) -> None:
    """Reject ``--cfg-options`` keys that do not match the config.

    Every part of a dotted key but the last must exist. The last part must
    exist too, unless its parent is a component dict (it has ``type``, so a
    new keyword argument is fine). A top-level Runner argument missing from
    the config (``randomness``, ``env_cfg``, ...) may be added whole.

    Raises:
        CLIError: naming the key and the part that does not match.
    """
    for key in options or {}:
        parts = key.split('.')
        node = cfg
        for depth, part in enumerate(parts):
            is_leaf = depth == len(parts) - 1
            where = '.'.join(parts[:depth]) or 'the config'
            if isinstance(node, (list, tuple)):
                if not part.isdigit() or int(part) >= len(node):
                    raise CLIError(
                        f'--cfg-options key "{key}": "{part}" is not a valid '
                        f'index of {where} (a list of {len(node)} items)')
                node = node[int(part)]
                continue
            if not isinstance(node, (dict, ConfigDict, Config)):
                raise CLIError(f'--cfg-options key "{key}": {where} is not a '
                               f'dict, it has no key "{part}"')
            if part in node:
                node = node[part]
                continue
            new_runner_key = depth == 0 and part in _RUNNER_KEYS
            if new_runner_key or (is_leaf and 'type' in node):
                break
            known = ', '.join(sorted(str(k) for k in node.keys())[:20])
            raise CLIError(f'--cfg-options key "{key}": "{part}" is not a key '
                           f'of {where} (known keys: {known})')


class UserDataError(RuntimeError):
    """Data the user gave cannot be used at all (e.g. every image of a
    training folder is unreadable)."""


def user_error_message(err: Exception):
    """(exception name, one-line message) of a user error.

    An error raised in a DataLoader worker reaches the main process as
    "Caught ValueError in DataLoader worker process 0. Original Traceback
    ..."; the last line of that text is the real message, so the user sees
    the same line as when the error happens in the main process.
    """
    message = err.args[0] if isinstance(err, KeyError) and err.args \
        else str(err)
    name = type(err).__name__
    if isinstance(message, str) and message.startswith('Caught ') and \
            'Original Traceback' in message:
        last = [line for line in message.strip().split('\n')
                if line.strip()][-1].strip()
        prefix, sep, rest = last.partition(': ')
        if sep and prefix.replace('.', '').replace('_', '').isalnum():
            name, message = prefix.split('.')[-1], rest
        else:
            message = last
    return name, message


def check_device(device: str) -> str:
    """Validate a ``--device`` value ('cpu', 'cuda', 'cuda:1') up front."""
    import torch
    try:
        parsed = torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        raise CLIError(f'--device {device!r} is not a device (use cpu, cuda '
                       'or cuda:N)') from None
    if parsed.type == 'cuda':
        if not torch.backends.cuda.is_built():
            raise CLIError(f'--device {device}: this torch build has no CUDA '
                           f'(torch {torch.__version__}); use --device cpu')
        if not torch.cuda.is_available():
            raise CLIError(f'--device {device}: no CUDA device is available')
        if parsed.index is not None and \
                parsed.index >= torch.cuda.device_count():
            raise CLIError(f'--device {device}: only '
                           f'{torch.cuda.device_count()} CUDA device(s)')
    elif parsed.type != 'cpu':
        raise CLIError(f'--device {device}: only cpu and cuda are supported')
    return device


def run_cli(main):
    """Run ``main`` and turn user errors into one line on stderr (exit 2).

    Set ``DEFUSION_DEBUG=1`` to see the full traceback instead.
    """

    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        if os.environ.get('DEFUSION_DEBUG'):
            return main(*args, **kwargs)
        try:
            return main(*args, **kwargs)
        except (CLIError, FileNotFoundError, NotADirectoryError, ValueError,
                KeyError, TypeError, UserDataError) as err:
            name, message = user_error_message(err)
            prog = os.path.basename(inspect.getfile(main))
            print(f'{prog}: error: {name}: {message}', file=sys.stderr)
            sys.exit(2)

    return wrapper


def load_config(path: str, cfg_options: dict = None) -> Config:
    """Read a config file, merge checked ``--cfg-options`` into it and
    resolve the values given once (:mod:`defusion.utils.config_resolution`).
    """
    if not os.path.isfile(path):
        raise CLIError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    resolve_config(cfg)
    return cfg


def add_runner_args(parser, cfg_example='train_cfg.max_iters=10'):
    """Add ``--cfg-options``, ``--launcher`` and ``--local-rank``, the
    options every Runner-based tool shares."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help=f'override settings of the config, e.g. {cfg_example}')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_args(parser, argv=None):
    """Parse and export ``LOCAL_RANK`` for the launchers, if unset."""
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def apply_runner_args(cfg, args):
    """Set the launcher (with gloo and CPU DDP when there is no CUDA) and
    the work dir (``--work-dir``, else the config's, else
    ``work_dirs/<config name>``)."""
    cfg.launcher = args.launcher
    cpu_distributed_defaults(cfg)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
