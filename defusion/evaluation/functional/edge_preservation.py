"""Gradient based fusion metrics of Xydeas & Petrovic: Qabf (edge
information transferred from the sources) and Nabf (artifacts, in the
modified form of Shreyamsha Kumar 2013). Grey (H, W) images on [0, 255]."""
import numpy as np

from .filtering import convolve_same

# Unnormalised 3x3 Sobel kernels (vertical / horizontal responses).
SOBEL_Y = np.array([[1., 2., 1.], [0., 0., 0.], [-1., -2., -1.]])
SOBEL_X = np.array([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]])

# Xydeas-Petrovic constants.
GAMMA_G, K_G, SIGMA_G = 0.9994, -15.0, 0.5
GAMMA_A, K_A, SIGMA_A = 0.9879, -22.0, 0.8
ZERO_TOL = 1e-9
# Nabf counts a fused edge as an artifact only where it is stronger than
# both sources' by more than this fraction (float rounding and a weighted
# mean that is a source up to 0.1% are not artifacts).
ARTIFACT_REL_TOL = 1e-3


def edge_strength_orientation(img: np.ndarray):
    """Sobel edge strength g and orientation alpha = atan(Sy / Sx)
    (pi / 2 where Sx = 0), zero padded ``conv2(..., 'same')``.

    Responses with magnitude below ``ZERO_TOL`` are set to 0, so that flat
    regions of float (e.g. luma) images do not get a random orientation from
    rounding noise.
    """
    sx = convolve_same(img, SOBEL_X)
    sy = convolve_same(img, SOBEL_Y)
    sx[np.abs(sx) < ZERO_TOL] = 0
    sy[np.abs(sy) < ZERO_TOL] = 0
    g = np.sqrt(sx**2 + sy**2)
    with np.errstate(divide='ignore', invalid='ignore'):
        alpha = np.where(sx == 0, np.pi / 2, np.arctan(sy / sx))
    return g, alpha


def edge_preservation(g_src, a_src, g_fused, a_fused, vifb: bool = False):
    """Q^{XF}: per pixel edge preservation of a source X in the fused image.

    Args:
        vifb (bool): reproduce VIFB's code, where equal strengths give the
            relative strength g_F itself instead of 1.
    """
    with np.errstate(divide='ignore', invalid='ignore'):
        rel = np.where(g_src > g_fused, g_fused / g_src, g_src / g_fused)
    equal = g_src == g_fused
    rel = np.where(equal, g_fused if vifb else 1.0, rel)
    orient = 1 - np.abs(a_src - a_fused) / (np.pi / 2)
    q_g = GAMMA_G / (1 + np.exp(K_G * (rel - SIGMA_G)))
    q_a = GAMMA_A / (1 + np.exp(K_A * (orient - SIGMA_A)))
    return q_g * q_a


def _maps(img_a, img_b, fused, vifb):
    g_a, a_a = edge_strength_orientation(img_a)
    g_b, a_b = edge_strength_orientation(img_b)
    g_f, a_f = edge_strength_orientation(fused)
    q_af = edge_preservation(g_a, a_a, g_f, a_f, vifb)
    q_bf = edge_preservation(g_b, a_b, g_f, a_f, vifb)
    return g_a, g_b, g_f, q_af, q_bf


def qabf(img_a, img_b, fused, vifb: bool = False) -> float:
    """Qabf = sum(Q^{AF} g_A + Q^{BF} g_B) / sum(g_A + g_B) (0 if the
    sources have no edges)."""
    g_a, g_b, _, q_af, q_bf = _maps(img_a, img_b, fused, vifb)
    den = (g_a + g_b).sum()
    return float((q_af * g_a + q_bf * g_b).sum() / den) if den > 0 else 0.0


def nabf(img_a, img_b, fused) -> float:
    """Nabf (Kumar's modified artifact measure, lower is better):
    sum(N [(1 - Q^{AF}) g_A + (1 - Q^{BF}) g_B]) / sum(g_A + g_B), with
    N = 1 where g_F > g_A and g_F > g_B (fused edges stronger than both, by
    more than ``ARTIFACT_REL_TOL`` of g_F, plus 1e-6 absolute).
    """
    g_a, g_b, g_f, q_af, q_bf = _maps(img_a, img_b, fused, False)
    margin = ARTIFACT_REL_TOL * g_f + 1e-6
    artifact = (g_f - g_a > margin) & (g_f - g_b > margin)
    num = (artifact * ((1 - q_af) * g_a + (1 - q_bf) * g_b)).sum()
    den = (g_a + g_b).sum()
    return float(num / den) if den > 0 else 0.0
