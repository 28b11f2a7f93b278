"""defusion.models."""
from . import baselines  # noqa: F401
from .data_preprocessors import FusionDataPreprocessor  # noqa: F401
from .algorithms import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
