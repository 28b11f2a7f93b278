"""A one-file figure of a fusion result and its components."""
import os
import os.path as osp
from typing import Dict, Optional

import numpy as np

from .image_writer import to_uint8

# Panel order and titles; keys missing from ``images`` are skipped.
PANELS = (('source_a', 'source A'), ('source_b', 'source B'),
          ('common', 'common'), ('unique_a', 'unique A'),
          ('unique_b', 'unique B'), ('fused', 'fused'))


def save_fusion_figure(path: str,
                       images: Dict[str, np.ndarray],
                       title: Optional[str] = None,
                       panel_width: float = 3.0) -> None:
    """Write one PNG with the panels source A / source B / common /
    unique A / unique B / fused (those present in ``images``).

    Args:
        path (str): Output file (.png).
        images (dict): Float [0, 1] arrays (H, W) or (H, W, 3) under the keys
            'source_a', 'source_b', 'common', 'unique_a', 'unique_b', 'fused'.
        title (str, optional): Figure title (e.g. the pair name).
        panel_width (float): Width of one panel in inches.
    """
    # Agg canvas on a Figure object: no global backend switch, no display.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [(key, label) for key, label in PANELS if images.get(key)
              is not None]
    if not panels:
        raise ValueError('save_fusion_figure: no images to show')
    height, width = np.asarray(images[panels[0][0]]).shape[:2]
    panel_height = panel_width * height / max(width, 1)
    fig = Figure(figsize=(panel_width * len(panels), panel_height + 0.6))
    FigureCanvasAgg(fig)
    for i, (key, label) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        image = to_uint8(images[key])
        ax.imshow(image, cmap='gray' if image.ndim == 2 else None,
                  vmin=0, vmax=255)
        ax.set_title(label, fontsize=10)
        ax.axis('off')
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100)
