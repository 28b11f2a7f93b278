"""defusion.evaluation.metrics."""
from .pretext_metric import PretextReconstructionMetric  # noqa: F401
