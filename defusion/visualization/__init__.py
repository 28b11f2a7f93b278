"""defusion.visualization: writing fused images and figures."""
from .fusion_figure import save_fusion_figure
from .image_writer import to_uint8, write_image

__all__ = ['save_fusion_figure', 'to_uint8', 'write_image']
