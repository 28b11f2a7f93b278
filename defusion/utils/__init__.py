"""Utilities: environment set-up and compatibility fixes."""
from .compat import (apply_compat, cpu_distributed_defaults,
                     load_local_checkpoint)
from .setup_env import register_all_modules

__all__ = [
    'apply_compat', 'cpu_distributed_defaults', 'load_local_checkpoint',
    'register_all_modules'
]
