"""Models by name, from ``model-index.yml`` and the metafiles it imports."""
import os.path as osp
from typing import Dict, Optional, Tuple

import yaml

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: The model ``FusionInferencer()`` and ``tools/fuse.py`` use by default.
RECOMMENDED_MODEL = 'defusionpp_vit-tiny-p16_shared'


def _models(root: str = REPO_ROOT) -> Dict[str, dict]:
    index = osp.join(root, 'model-index.yml')
    if not osp.isfile(index):
        raise FileNotFoundError(f'model index not found: {index} (model '
                                'names need a source checkout)')
    with open(index) as f:
        imports = (yaml.safe_load(f) or {}).get('Import', [])
    models = {}
    for rel in imports:
        with open(osp.join(root, rel)) as f:
            for model in (yaml.safe_load(f) or {}).get('Models', []):
                models[model['Name']] = model
    return models


def list_models(root: str = REPO_ROOT):
    """Names of every model in the index, sorted."""
    return sorted(_models(root))


DOWNSTREAM_TASKS = ('Object Detection', 'Semantic Segmentation')


def get_model(name: str, root: str = REPO_ROOT, fusion: bool = False
              ) -> Tuple[str, Optional[str]]:
    """(config path, weights path or None) of a model of the index.

    Args:
        fusion (bool): Refuse downstream (detection / segmentation) models,
            which cannot fuse images.

    Raises:
        ValueError: no model of that name (the message lists close names),
            or a downstream model with ``fusion=True``.
    """
    models = _models(root)
    if name not in models:
        close = [m for m in models if name.split('_')[0] in m][:5]
        hint = f'; e.g. {", ".join(close)}' if close else ''
        raise ValueError(f'no model named "{name}" in model-index.yml'
                         f'{hint} (list_models() gives all)')
    model = models[name]
    tasks = {r.get('Task') for r in model.get('Results') or []}
    if fusion and tasks and tasks <= set(DOWNSTREAM_TASKS):
        raise ValueError(f'model "{name}" is a downstream model '
                         f'({"/".join(sorted(tasks))}): it does not fuse '
                         'images (train it with tools/train.py); fusion '
                         'models are in configs/defusionpp and '
                         'configs/fusion')
    weights = model.get('Weights')
    return (osp.join(root, model['Config']),
            osp.join(root, weights) if weights else None)
