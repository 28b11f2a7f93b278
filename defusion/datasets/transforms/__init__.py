"""defusion.datasets.transforms."""
from .load_image_pair import LoadImagePair, read_image, to_float_image  # noqa: F401
from .pack_fusion_pair import PackFusionPair, pack_pair  # noqa: F401
from .load_natural_image import LoadNaturalImage, read_rgb_image  # noqa: F401
from .pack_pretext_inputs import PackPretextInputs  # noqa: F401
from .synthesize_pretext_pair import SynthesizePretextPair  # noqa: F401
