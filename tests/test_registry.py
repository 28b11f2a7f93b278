"""The defusion registries are children of mmengine's and set the scope."""
import warnings

import mmengine.registry as mm_registry
import pytest
from mmengine import DefaultScope

import defusion.registry as registry
from defusion.utils import register_all_modules

NAMES = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS',
    'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'TASK_UTILS', 'METRICS',
    'EVALUATOR', 'VISUALIZERS', 'VISBACKENDS', 'FUNCTIONS', 'INFERENCERS',
    'STRATEGIES'
]


@pytest.mark.parametrize('name', NAMES)
def test_child_of_mmengine_root(name):
    child = getattr(registry, name)
    root = getattr(mm_registry, name)
    assert child.scope == 'defusion'
    assert child.parent is root
    assert root.children['defusion'] is child
    assert child._locations, f'{name} has no locations to import from'


def test_every_mmengine_root_has_a_child():
    roots = [n for n in dir(mm_registry)
             if n.isupper() and isinstance(getattr(mm_registry, n),
                                           mm_registry.Registry)]
    assert sorted(roots) == sorted(NAMES)


def test_register_all_modules_sets_scope():
    register_all_modules(init_default_scope=True)
    assert DefaultScope.get_current_instance().scope_name == 'defusion'


def test_parent_modules_reachable_from_defusion_scope():
    # An mmengine module (optimizer wrapper) is found through the child.
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        wrapper_cls = registry.OPTIM_WRAPPERS.get('OptimWrapper')
    assert wrapper_cls.__name__ == 'OptimWrapper'
