"""defusion.evaluation.metrics."""
