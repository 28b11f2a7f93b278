"""Data preprocessors: batch, move to device and normalise fusion inputs."""
from .fusion_data_preprocessor import FusionDataPreprocessor

__all__ = ['FusionDataPreprocessor']
