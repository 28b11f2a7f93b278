"""Config values given once and filled in where they are used.

:func:`resolve_config` is applied by every tool after ``--cfg-options``
(``defusion.utils.cli.load_config``), so these are one line each in a config
and on the command line:

- **Schedules as fractions of the run**: a parameter-scheduler dict may
  give ``milestone_ratios`` (``MultiStepLR``), ``begin_ratio`` and
  ``end_ratio`` instead of iterations: fractions of
  ``train_cfg.max_iters``, so ``train_cfg.max_iters=N`` rescales the whole
  schedule.
- **One crop size**: a top-level ``crop_size`` (int) is written into every
  ``SynthesizePretextPair`` of the train / val / test pipelines and into the
  DeFusion++ encoder's ``img_size`` (its MFM decoder follows the encoder),
  so ``crop_size=128`` changes the pretext pairs and the position tables
  together.

A config built directly with ``Runner.from_cfg`` should call
:func:`resolve_config` first.
"""


def resolve_schedule(cfg) -> None:
    """Replace ratio keys of ``cfg.param_scheduler`` by iteration numbers."""
    schedulers = cfg.get('param_scheduler')
    if not schedulers:
        return
    if isinstance(schedulers, dict):
        schedulers = [schedulers]
    max_iters = (cfg.get('train_cfg') or {}).get('max_iters')
    for sched in schedulers:
        keys = {'milestone_ratios', 'begin_ratio', 'end_ratio'} & set(sched)
        if not keys:
            continue
        if max_iters is None:
            raise ValueError(f'param_scheduler {sched.get("type")}: '
                             f'{sorted(keys)} need train_cfg.max_iters '
                             '(an iteration-based loop)')
        if 'milestone_ratios' in sched:
            ratios = sched.pop('milestone_ratios')
            sched['milestones'] = [int(r * max_iters) for r in ratios]
        for key in ('begin', 'end'):
            if f'{key}_ratio' in sched:
                sched[key] = int(sched.pop(f'{key}_ratio') * max_iters)
        if keys & {'begin_ratio', 'end_ratio'}:  # at least one iteration
            sched['end'] = max(sched.get('end', max_iters),
                               sched.get('begin', 0) + 1)


def _pretext_transforms(cfg):
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        for step in dataset.get('pipeline') or []:
            if isinstance(step, dict) and \
                    step.get('type') == 'SynthesizePretextPair':
                yield step


def resolve_crop_size(cfg) -> None:
    """Write a top-level int ``crop_size`` into the pretext pipelines and
    the DeFusion++ encoder (configs without a pretext pipeline are left
    alone)."""
    crop_size = cfg.get('crop_size')
    if not isinstance(crop_size, int):
        return
    steps = list(_pretext_transforms(cfg))
    if not steps:
        return
    for step in steps:
        step['crop_size'] = crop_size
    model = cfg.get('model') or {}
    if model.get('type') == 'DeFusionPP' and 'backbone' in model:
        model['backbone']['img_size'] = crop_size


def resolve_config(cfg) -> None:
    """All of the above, in place."""
    resolve_schedule(cfg)
    resolve_crop_size(cfg)
