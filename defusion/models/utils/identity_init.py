"""Data-dependent initialisation of DeFusion++ near the identity.

A randomly initialised ViT must first learn to carry a patch's pixels
through the network before it can learn anything about fusion; at 16 px
patches that alone takes far more pairs than two CPU cores can train. This
init starts the model where its identity paths already work:

1. **Patch embedding = PCA.** The top-``d`` principal components of
   (normalised) 16 x 16 x 3 training patches, written into the ``d``
   channels orthogonal to the position table and to the all-ones vector.
   The position table lives in a subspace of only ``h + w + 1`` dimensions
   (sin-cos rows and columns), so ``d = C - rank`` (about 179 of 192 at
   96 px) and content and position never mix in a linear read-out.
2. **Residual branches start at zero** (the last Linear of every attention
   and MLP / FFN branch), so every block is the identity (pre-norm blocks)
   or a LayerNorm (post-norm cross-attention blocks) and the content
   reaches every head unchanged up to a per-token scale. Everything else
   keeps its random init, so gradients flow from the first step.
3. **Heads fitted.** Each image head's output Linear (and the MFM
   decoder's) is the ridge-regression read-out of the clean image from the
   content subspace of its input, fitted on clean pairs (both sources the
   same photo). The untrained model thus outputs the mean of its two
   sources; pretext training then only has to learn the decomposition.

No architecture or parameter count changes; only the starting point.
"""
from typing import Iterable, Tuple

import torch
import torch.nn as nn

from .patch_ops import patchify
from .transformer_blocks import AttnBlock, Block


def position_complement(pos_embed: torch.Tensor,
                        tol: float = 1e-4) -> torch.Tensor:
    """Orthonormal basis (C, d) of the channels orthogonal to every row of
    a position table (1, E + L, C) and to the all-ones vector."""
    rows = pos_embed[0].double()
    rows = torch.cat([rows, torch.ones(1, rows.shape[1], dtype=rows.dtype)])
    _, sing, vh = torch.linalg.svd(rows, full_matrices=True)
    rank = int((sing > tol * sing[0]).sum())
    return vh[rank:].T.float()


def zero_residual_branches(module: nn.Module) -> None:
    """Zero the output Linear of every attention / MLP branch in
    ``module`` so that each :class:`Block` starts as the identity and each
    :class:`AttnBlock` as a LayerNorm of its residual input."""
    for m in module.modules():
        if isinstance(m, Block):
            outs = (m.attn.proj, m.mlp.fc2)
        elif isinstance(m, AttnBlock):
            outs = (m.attn.out_proj, m.ffn[-1])
        else:
            continue
        for linear in outs:
            nn.init.zeros_(linear.weight)
            if linear.bias is not None:
                nn.init.zeros_(linear.bias)


@torch.no_grad()
def init_patch_embed_pca(backbone, patches: torch.Tensor,
                         content_ratio: float = 0.35,
                         pca_dims: int = None) -> torch.Tensor:
    """Write the PCA of ``patches`` into the patch embedding.

    The first ``pca_dims`` content channels get the top principal
    components; the remaining content channels get a random orthonormal
    projection of everything outside them (the fine texture where the
    pretext noise differs most from photos), so that no part of a patch is
    invisible to the encoder.

    Args:
        backbone (DeFusionViT): encoder with ``patch_embed.proj`` (a
            stride-p convolution) and ``pos_embed``.
        patches (Tensor): (M, C_in * p * p) normalised patches, flattened in
            the convolution's (C_in, p, p) order.
        content_ratio (float): rms norm of the content over the rms norm of
            the (mean-removed) position rows; small keeps the LayerNorms
            nearly linear in the content.
        pca_dims (int, optional): Principal components kept as they are;
            None: all content channels.

    Returns:
        Tensor: the content basis (C, d) used.
    """
    basis = position_complement(backbone.pos_embed)
    d = basis.shape[1]
    mean = patches.mean(0)
    centred = (patches - mean).double()
    cov = centred.T @ centred / centred.shape[0]
    eigval, eigvec = torch.linalg.eigh(cov)
    eigvec = eigvec[:, eigval.argsort(descending=True)]
    k = d if pca_dims is None else min(int(pca_dims), d)
    g = torch.Generator().manual_seed(0)
    mix = torch.linalg.qr(torch.randn(eigvec.shape[1] - k, d - k,
                                      generator=g, dtype=eigvec.dtype))[0]
    top = torch.cat([eigvec[:, :k], eigvec[:, k:] @ mix], 1).float()
    coeff_rms = float((centred.float() @ top).pow(2).sum(1).mean().sqrt())
    pos = backbone.pos_embed[0, 1:]
    pos_rms = float((pos - pos.mean(1, keepdim=True)).pow(2).sum(1).mean()
                    .sqrt())
    alpha = content_ratio * pos_rms / coeff_rms
    weight = alpha * basis @ top.T  # (C, D)
    proj = backbone.patch_embed.proj
    proj.weight.copy_(weight.view_as(proj.weight))
    proj.bias.copy_(-(weight @ mean))
    return basis


@torch.no_grad()
def fit_readout(linear: nn.Linear, features: torch.Tensor,
                targets: torch.Tensor, basis: torch.Tensor,
                ridge: float = 1e-3) -> None:
    """Set ``linear`` to the ridge read-out of ``targets`` (M, D_out) from
    the ``basis`` (C, d) components of ``features`` (M, C)."""
    x = (features @ basis).double()
    x = torch.cat([x, torch.ones(x.shape[0], 1, dtype=x.dtype)], 1)
    gram = x.T @ x
    gram += ridge * gram.diagonal().mean() * torch.eye(
        gram.shape[0], dtype=gram.dtype)
    sol = torch.linalg.solve(gram, x.T @ targets.double())  # (d + 1, D_out)
    linear.weight.copy_((basis @ sol[:-1].float()).T)
    linear.bias.copy_(sol[-1].float())


def _capture_inputs(modules: Iterable[nn.Module]):
    store, handles = {}, []
    for m in modules:
        def hook(mod, args, store=store):
            store.setdefault(id(mod), []).append(args[0].detach())
        handles.append(m.register_forward_pre_hook(hook))
    return store, handles


@torch.no_grad()
def identity_init(model, clean: torch.Tensor,
                  content_ratio: float = 0.35,
                  pca_dims: int = None) -> dict:
    """Initialise a :class:`DeFusionPP` near the identity (module doc).

    Args:
        model (DeFusionPP): freshly built model.
        clean (Tensor): (N, 3, H, W) clean training crops in [0, 1]; their
            patches give the PCA and the read-out fits.
        content_ratio, pca_dims: see :func:`init_patch_embed_pca`.

    Returns:
        dict: ``content_dims`` (d) and the read-out PSNR of each head on
        ``clean`` (dB).
    """
    was_training = model.training
    model.eval()
    p = model.backbone.patch_size
    normed = model.data_preprocessor.normalize(clean)
    # Convolution order (C_in, p, p) of every patch.
    n, c_in, h, w = normed.shape
    patches = normed.reshape(n, c_in, h // p, p, w // p, p).permute(
        0, 2, 4, 1, 3, 5).reshape(-1, c_in * p * p)
    for part in (model.backbone, model.neck, model.head, model.mfm_head):
        if part is not None:
            zero_residual_branches(part)
    basis = init_patch_embed_pca(model.backbone, patches, content_ratio,
                                 pca_dims)

    heads = [model.head.common_decoder.proj, model.head.unique_decoder.proj,
             model.head.fused_decoder.proj]
    store, handles = _capture_inputs(heads)
    try:
        model.fuse_images(torch.stack([normed, normed], 1))
    finally:
        for handle in handles:
            handle.remove()
    targets = patchify(clean, p).reshape(-1, p * p * clean.shape[1])
    report = dict(content_dims=basis.shape[1])
    for name, linear in zip(('common', 'unique', 'fused'), heads):
        feats = torch.cat(store[id(linear)])  # (N, L, C), no cls token
        feats = feats.reshape(-1, feats.shape[-1])
        tgt = targets.repeat(feats.shape[0] // targets.shape[0], 1)
        fit_readout(linear, feats, tgt, basis)
        err = (linear(feats) - tgt).pow(2).mean()
        report[f'psnr_{name}'] = float(-10 * torch.log10(err))
    if model.mfm_head is not None:
        mfm = model.mfm_head
        store, handles = _capture_inputs([mfm.proj])
        ratio = model.neck.mask_ratio
        model.neck.mask_ratio = 0.
        try:
            out = model.extract_feat(torch.stack([normed, normed], 1),
                                     mask=True)
            mfm(out.mfm_tokens, out.ids_restore, out.grid_size)
        finally:
            model.neck.mask_ratio = ratio
            for handle in handles:
                handle.remove()
        feats = store[id(mfm.proj)][0][:, 1:].reshape(-1, basis.shape[0])
        fit_readout(mfm.proj, feats, targets, basis)
        err = (mfm.proj(feats) - targets).pow(2).mean()
        report['psnr_mfm'] = float(-10 * torch.log10(err))
    model.train(was_training)
    return report
