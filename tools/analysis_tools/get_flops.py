"""Parameters and FLOPs / MACs of one fused pair for a fusion model config.

Example::

    python tools/analysis_tools/get_flops.py \\
        configs/defusionpp/defusionpp_vit-tiny-p16_1xb16-50e_coco.py
    python tools/analysis_tools/get_flops.py CONFIG --shape 480 640 \\
        --mode tensor

The input is one random pair (1, 2, 3, H, W) in [0, 1], normalised by the
model's data preprocessor. ``--mode fuse`` (default) measures zero-shot
fusion as ``tools/fuse.py`` runs it without tiling (pad to the size divisor,
``fuse_images``: fused image and, for DeFusion++, the common / unique
images, crop back); ``--mode tensor`` measures ``model(inputs,
mode='tensor')`` (DeFusion++: the fused feature map, no image heads).

FLOPs are counted by ``torch.utils.flop_counter.FlopCounterMode``: matrix
multiplications, convolutions and attention, one multiply-add = 2 FLOPs;
element-wise operations, normalisation and softmax are not counted (so
classical baselines built from filters and arithmetic are under-counted).
MACs = FLOPs / 2.
"""
import argparse
import os.path as osp
import sys
from collections import OrderedDict

try:
    import defusion  # noqa: F401  (registries and compat fixes)
except ImportError:  # not installed: run from a source checkout
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import defusion  # noqa: F401

import torch
from mmengine.config import Config, DictAction
from mmengine.utils import import_modules_from_strings
from torch.utils.flop_counter import FlopCounterMode

from defusion.models.algorithms import BaseFusionModel
from defusion.models.algorithms.base_fusion_model import pad_to_multiple
from defusion.registry import MODELS
from defusion.utils import register_all_modules
from defusion.utils.cli import CLIError, check_cfg_options, run_cli

MODES = ('fuse', 'tensor')
# Sub-modules used only in training; left out of the inference count.
TRAIN_ONLY_MODULES = ('mfm_head', )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Parameters and FLOPs/MACs of one fused pair.')
    parser.add_argument('config', help='fusion model config file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[224, 224],
        metavar=('H', 'W'),
        help='input size of both sources (default: 224 224)')
    parser.add_argument(
        '--mode',
        choices=MODES,
        default='fuse',
        help='fuse: the zero-shot fusion path (fused image and components); '
        'tensor: model(inputs, mode="tensor") (default: fuse)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, e.g. '
        'model.backbone.arch=tiny')
    args = parser.parse_args(argv)
    if min(args.shape) < 1:
        raise CLIError(f'--shape must be two positive integers, got '
                       f'{args.shape[0]} {args.shape[1]}')
    return args


def load_config(path: str, cfg_options: dict = None) -> Config:
    """Read a config without its ``custom_imports`` (they may need packages
    a fusion model does not, e.g. mmdet for a downstream config) and merge
    checked ``--cfg-options``."""
    if not osp.isfile(path):
        raise CLIError(f'config file not found: {path}')
    cfg = Config.fromfile(path, import_custom_modules=False)
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    return cfg


def _model_class(model_type):
    if not isinstance(model_type, str):
        return model_type
    try:
        return MODELS.get(model_type)
    except Exception:  # unknown scope prefix, failed lazy import, ...
        return None


def is_fusion_class(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, BaseFusionModel)


def build_fusion_model(cfg: Config, config_name: str = 'the config'):
    """Build ``cfg.model``; raise a clear error unless it is a fusion model
    (a :class:`BaseFusionModel`). The config's ``custom_imports`` are
    imported only if the model type is not known without them."""
    if not isinstance(cfg.get('model'), dict):
        raise CLIError(f'{config_name} has no "model" entry')
    model_type = cfg.model.get('type')
    cls = _model_class(model_type)
    if cls is None and cfg.get('custom_imports'):
        try:
            import_modules_from_strings(**cfg.custom_imports)
        except ImportError:
            pass  # reported below as "not a fusion model"
        cls = _model_class(model_type)
    if not is_fusion_class(cls):
        raise CLIError(
            f'{config_name}: model type {model_type!r} is not a defusion '
            'fusion model (a BaseFusionModel such as DeFusionPP or a '
            'classical baseline); get_flops.py measures one fused pair')
    model = MODELS.build(cfg.model)
    model.eval()
    return model


def count_parameters(model) -> OrderedDict:
    """Parameter counts: ``all`` and ``inference`` (without training-only
    sub-modules such as DeFusion++'s ``mfm_head``)."""
    total = sum(p.numel() for p in model.parameters())
    train_only = 0
    for name in TRAIN_ONLY_MODULES:
        module = getattr(model, name, None)
        if isinstance(module, torch.nn.Module):
            train_only += sum(p.numel() for p in module.parameters())
    return OrderedDict(all=total, inference=total - train_only)


@torch.no_grad()
def count_flops(model, shape, mode: str = 'fuse') -> dict:
    """FLOPs of one pair of size ``shape`` (H, W).

    Returns:
        dict: ``flops`` (total), ``macs`` (flops / 2), ``padded_shape``
        (the size the network sees) and ``by_module`` (FLOPs per direct
        child of the model that runs, in call order).
    """
    if mode not in MODES:
        raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
    torch.manual_seed(0)
    pair = torch.rand(1, 2, 3, *shape)
    inputs = model.data_preprocessor(dict(inputs=pair), False)['inputs']
    counter = FlopCounterMode(display=False)
    by_module = OrderedDict()
    handles = []
    for name, child in model.named_children():
        if name == 'data_preprocessor':
            continue

        def before(module, args, name=name):
            by_module.setdefault(name, 0)
            by_module[name] -= counter.get_total_flops()

        def after(module, args, output, name=name):
            by_module[name] += counter.get_total_flops()

        handles.append(child.register_forward_pre_hook(before))
        handles.append(child.register_forward_hook(after))
    try:
        with counter:
            if mode == 'fuse':
                model._fuse_padded(inputs)
            else:
                model(inputs, mode='tensor')
    finally:
        for handle in handles:
            handle.remove()
    flops = counter.get_total_flops()
    padded = tuple(pad_to_multiple(inputs[:, 0], model.size_divisor)
                   .shape[-2:])
    return dict(
        flops=flops, macs=flops / 2, padded_shape=padded,
        by_module=by_module)


def _human(value: float) -> str:
    for unit, scale in (('G', 1e9), ('M', 1e6), ('K', 1e3)):
        if value >= scale:
            return f'{value / scale:.3f} {unit}'
    return f'{value:.0f}'


def format_report(config, model, params, flops, shape, mode) -> str:
    """The printed report (one fact per line)."""
    h, w = shape
    ph, pw = flops['padded_shape']
    lines = [
        f'config: {config}',
        f'model: {type(model).__name__}',
        f'input: one pair (1, 2, 3, {h}, {w})' +
        (f', padded to {ph}x{pw}' if (ph, pw) != (h, w) else ''),
        f'mode: {mode}',
        f'parameters (all): {params["all"]} ({_human(params["all"])})',
    ]
    if params['inference'] != params['all']:
        skipped = [n for n in TRAIN_ONLY_MODULES
                   if getattr(model, n, None) is not None]
        lines.append(
            f'parameters (inference, without {", ".join(skipped)}): '
            f'{params["inference"]} ({_human(params["inference"])})')
    lines += [
        f'FLOPs: {flops["flops"]} ({_human(flops["flops"])}FLOPs)',
        f'MACs: {flops["macs"]:.0f} ({_human(flops["macs"])}MACs)',
    ]
    if flops['by_module']:
        lines.append('FLOPs by module:')
        for name, value in flops['by_module'].items():
            lines.append(f'  {name}: {value} ({_human(value)}FLOPs)')
    lines.append(
        'FLOPs: torch.utils.flop_counter.FlopCounterMode (matmul, conv, '
        'attention; 1 multiply-add = 2 FLOPs; element-wise ops, norms and '
        'softmax not counted). MACs = FLOPs / 2.')
    return '\n'.join(lines)


@run_cli
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    register_all_modules(init_default_scope=False)
    model = build_fusion_model(cfg, args.config)
    params = count_parameters(model)
    flops = count_flops(model, tuple(args.shape), args.mode)
    print(format_report(args.config, model, params, flops, args.shape,
                        args.mode))


if __name__ == '__main__':
    main()
