"""defusion: DeFusion++ self-supervised image fusion, the OpenMMLab way.

Importing the package registers the registries and applies the compat fixes
for the pinned OpenMMLab stack; models, datasets and metrics are imported
lazily by the registries (see ``defusion.registry``).
"""
from . import registry  # noqa: F401
from .utils.compat import apply_compat
from .version import __version__, version_info

apply_compat()

__all__ = ['__version__', 'version_info']
