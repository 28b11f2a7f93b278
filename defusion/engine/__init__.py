"""defusion.engine."""
