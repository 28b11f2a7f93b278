"""Apply photometric transforms to the visible channels of a VIS+IR image."""
from typing import List, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.dataset import Compose

from defusion.registry import TRANSFORMS


@TRANSFORMS.register_module()
class VisibleOnly(BaseTransform):
    """Run ``transforms`` on the visible part of a 6-channel ``img``.

    The wrapped transforms (e.g. ``PhotoMetricDistortion``) see a 3-channel
    BGR image, the channel order mmdet / mmseg photometric transforms expect;
    the result is converted back to RGB and put in front of the untouched IR
    channels. They must not change the image size.

    Args:
        transforms (list[dict]): Transforms to apply (built in the default
            scope, so mmdet / mmseg names work).
        num_visible (int): Leading channels that are visible. Defaults to 3.
        rgb_to_bgr (bool): Flip the visible channels to BGR for the wrapped
            transforms and back afterwards. Defaults to True.
    """

    def __init__(self,
                 transforms: List[dict],
                 num_visible: int = 3,
                 rgb_to_bgr: bool = True):
        if not isinstance(transforms, (list, tuple)) or not transforms:
            raise TypeError('VisibleOnly: transforms must be a non-empty '
                            f'list of transform configs, got {transforms!r}')
        self.transforms = Compose(list(transforms))
        self.num_visible = num_visible
        self.rgb_to_bgr = rgb_to_bgr

    def transform(self, results: dict) -> Optional[dict]:
        img = results.get('img')
        if not isinstance(img, np.ndarray) or img.ndim != 3 or \
                img.shape[2] <= self.num_visible:
            raise ValueError(
                'VisibleOnly: expects an (H, W, C) "img" with more than '
                f'{self.num_visible} channels (use LoadVisIRPair), got '
                f'{getattr(img, "shape", type(img).__name__)} for '
                f'{results.get("img_path")}')
        vis = img[..., :self.num_visible]
        rest = img[..., self.num_visible:]
        if self.rgb_to_bgr:
            vis = vis[..., ::-1]
        results['img'] = np.ascontiguousarray(vis)
        results = self.transforms(results)
        if results is None:
            return None
        vis = results['img']
        if vis.shape[:2] != rest.shape[:2]:
            raise ValueError('VisibleOnly: a wrapped transform changed the '
                             f'image size from {rest.shape[:2]} to '
                             f'{vis.shape[:2]}; wrap photometric transforms '
                             'only')
        if vis.ndim == 2:
            vis = vis[..., None]
        if self.rgb_to_bgr:
            vis = vis[..., ::-1]
        results['img'] = np.concatenate(
            [vis, rest.astype(vis.dtype, copy=False)], axis=2)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'num_visible={self.num_visible}, '
                f'rgb_to_bgr={self.rgb_to_bgr})')
