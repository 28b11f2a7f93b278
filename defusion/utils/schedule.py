"""Schedules given as fractions of the run length.

A parameter-scheduler dict in a config may give, instead of iteration
numbers, ``milestone_ratios`` (for ``MultiStepLR``), ``begin_ratio`` and
``end_ratio``: fractions of ``train_cfg.max_iters``. :func:`resolve_schedule`
(called by ``tools/train.py`` after ``--cfg-options``) turns them into
iterations, so that ``--cfg-options train_cfg.max_iters=N`` rescales the
whole schedule.
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
