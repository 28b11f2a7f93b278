"""Registries of defusion: children of mmengine's root registries.

Every component of the toolbox is registered here and built from a config
dict. ``locations`` lets mmengine import the modules that fill a registry the
first time the registry is searched, so ``import defusion`` stays cheap.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import \
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import STRATEGIES as MMENGINE_STRATEGIES
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS',
    'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'TASK_UTILS', 'METRICS',
    'EVALUATOR', 'VISUALIZERS', 'VISBACKENDS', 'FUNCTIONS', 'INFERENCERS',
    'STRATEGIES'
]


def _child(name, parent, locations=()):
    return Registry(
        name, parent=parent, scope='defusion', locations=list(locations))


# Running: runners, loops and hooks.
RUNNERS = _child('runner', MMENGINE_RUNNERS, ['defusion.engine'])
RUNNER_CONSTRUCTORS = _child('runner constructor',
                             MMENGINE_RUNNER_CONSTRUCTORS, ['defusion.engine'])
LOOPS = _child('loop', MMENGINE_LOOPS, ['defusion.engine'])
HOOKS = _child('hook', MMENGINE_HOOKS, ['defusion.engine'])
LOG_PROCESSORS = _child('log processor', MMENGINE_LOG_PROCESSORS,
                        ['defusion.engine'])
STRATEGIES = _child('strategy', MMENGINE_STRATEGIES, ['defusion.engine'])

# Optimisation.
OPTIMIZERS = _child('optimizer', MMENGINE_OPTIMIZERS, ['defusion.engine'])
OPTIM_WRAPPERS = _child('optim_wrapper', MMENGINE_OPTIM_WRAPPERS,
                        ['defusion.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor',
                                    MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                    ['defusion.engine'])
PARAM_SCHEDULERS = _child('parameter scheduler', MMENGINE_PARAM_SCHEDULERS,
                          ['defusion.engine'])

# Data.
DATASETS = _child('dataset', MMENGINE_DATASETS, ['defusion.datasets'])
DATA_SAMPLERS = _child('data sampler', MMENGINE_DATA_SAMPLERS,
                       ['defusion.datasets'])
TRANSFORMS = _child('transform', MMENGINE_TRANSFORMS,
                    ['defusion.datasets.transforms'])

# Models.
MODELS = _child('model', MMENGINE_MODELS, ['defusion.models'])
MODEL_WRAPPERS = _child('model_wrapper', MMENGINE_MODEL_WRAPPERS,
                        ['defusion.models'])
WEIGHT_INITIALIZERS = _child('weight initializer',
                             MMENGINE_WEIGHT_INITIALIZERS, ['defusion.models'])
TASK_UTILS = _child('task util', MMENGINE_TASK_UTILS, ['defusion.models'])

# Evaluation.
METRICS = _child('metric', MMENGINE_METRICS, ['defusion.evaluation'])
EVALUATOR = _child('evaluator', MMENGINE_EVALUATOR, ['defusion.evaluation'])

# Visualisation, functions and inferencers.
VISUALIZERS = _child('visualizer', MMENGINE_VISUALIZERS,
                     ['defusion.visualization'])
VISBACKENDS = _child('vis_backend', MMENGINE_VISBACKENDS,
                     ['defusion.visualization'])
FUNCTIONS = _child('function', MMENGINE_FUNCTIONS, ['defusion.datasets'])
INFERENCERS = _child('inferencer', MMENGINE_INFERENCERS, ['defusion.apis'])
