"""Transforms for paired VIS+IR downstream pipelines."""
from .load_vis_ir_pair import LoadVisIRPair
from .visible_only import VisibleOnly

__all__ = ['LoadVisIRPair', 'VisibleOnly']
