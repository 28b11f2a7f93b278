"""defusion.evaluation.metrics."""
from .fusion_metric import FusionMetric, load_image_for_metric  # noqa: F401
from .pretext_metric import PretextReconstructionMetric  # noqa: F401
