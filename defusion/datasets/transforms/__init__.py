"""defusion.datasets.transforms."""
from .load_image_pair import (LoadImagePair, probe_image, read_image,  # noqa
                              to_float_image)
from .pack_fusion_pair import PackFusionPair, pack_pair  # noqa: F401
from .load_natural_image import LoadNaturalImage, read_rgb_image  # noqa: F401
from .pack_pretext_inputs import PackPretextInputs  # noqa: F401
from .synthesize_pretext_pair import SynthesizePretextPair  # noqa: F401
