"""defusion.datasets."""
from . import transforms  # noqa: F401
from .paired_image_dataset import PairedImageDataset, pair_folders  # noqa: F401
from .natural_image_dataset import NaturalImageDataset  # noqa: F401
