"""Transformer blocks of DeFusion++: a pre-norm ViT block and the post-norm
cross-attention block of the CUD module."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def drop_path(x: torch.Tensor, rate: float, training: bool) -> torch.Tensor:
    """Stochastic depth: zero whole samples with probability ``rate``."""
    if rate == 0. or not training:
        return x
    keep = 1 - rate
    mask = x.new_empty((x.shape[0], ) + (1, ) * (x.dim() - 1)).bernoulli_(keep)
    return x * mask / keep


class DropPath(nn.Module):
    """Module wrapper of :func:`drop_path`."""

    def __init__(self, rate: float = 0.):
        super().__init__()
        if not 0 <= rate < 1:
            raise ValueError(f'drop path rate must be in [0, 1), got {rate}')
        self.rate = rate

    def forward(self, x):
        return drop_path(x, self.rate, self.training)

    def extra_repr(self):
        return f'rate={self.rate}'


class SelfAttention(nn.Module):
    """Multi-head self-attention (fused qkv projection, SDPA kernel).

    Args:
        embed_dims (int): Token width C.
        num_heads (int): Number of heads; must divide ``embed_dims``.
        qkv_bias (bool): Bias of the qkv projection. Defaults to True.
    """

    def __init__(self, embed_dims: int, num_heads: int, qkv_bias=True):
        super().__init__()
        if embed_dims % num_heads != 0:
            raise ValueError(f'embed_dims ({embed_dims}) must be divisible '
                             f'by num_heads ({num_heads})')
        self.num_heads = num_heads
        self.qkv = nn.Linear(embed_dims, embed_dims * 3, bias=qkv_bias)
        self.proj = nn.Linear(embed_dims, embed_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, L, C) -> (N, L, C)."""
        n, length, c = x.shape
        qkv = self.qkv(x).reshape(n, length, 3, self.num_heads,
                                  c // self.num_heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2])
        return self.proj(out.transpose(1, 2).reshape(n, length, c))


class Mlp(nn.Module):
    """Linear - GELU - Linear."""

    def __init__(self, embed_dims: int, hidden_dims: int):
        super().__init__()
        self.fc1 = nn.Linear(embed_dims, hidden_dims)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_dims, embed_dims)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm ViT block: x + attn(LN(x)), then x + mlp(LN(x)).

    Parameter names follow timm / MAE (``norm1``, ``attn.qkv``,
    ``attn.proj``, ``norm2``, ``mlp.fc1``, ``mlp.fc2``) so that ViT
    checkpoints load without renaming.

    Args:
        embed_dims (int): Token width C.
        num_heads (int): Attention heads.
        mlp_ratio (float): Hidden width of the MLP over C. Defaults to 4.
        qkv_bias (bool): Defaults to True.
        drop_path_rate (float): Stochastic depth rate. Defaults to 0.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-5.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 drop_path_rate: float = 0.,
                 norm_eps: float = 1e-5):
        super().__init__()
        self.norm1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.attn = SelfAttention(embed_dims, num_heads, qkv_bias)
        self.norm2 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.mlp = Mlp(embed_dims, int(embed_dims * mlp_ratio))
        self.drop_path = DropPath(drop_path_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, L, C) -> (N, L, C)."""
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class AttnBlock(nn.Module):
    """Post-norm cross-attention block of the CUD module.

    ``forward(src1, src2)``: queries come from ``src2`` and values from
    ``src1``; keys come from ``src2`` when ``common`` (src2's own affinity
    pools src1's values) and from ``src1`` otherwise. The result is added to
    ``src2`` and normalised, then a ReLU FFN with residual and a second
    LayerNorm follow; dropout is applied after the attention, inside the FFN
    and after it.

    As in the reference implementation the tokens first go through separate
    ``query``/``key``/``value`` linear layers and then through a standard
    multi-head attention, which has its own input and output projections.
    The two stacked projections are redundant in expressiveness but are what
    the published parameter count (13.4 M to train) is made of.

    Args:
        embed_dims (int): Token width C.
        num_heads (int): Attention heads.
        common (bool): Key source, see above.
        feedforward_channels (int): FFN hidden width. Defaults to 4 * C.
        dropout (float): Dropout rate. Defaults to 0.1.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 common: bool,
                 feedforward_channels: int = None,
                 dropout: float = 0.1):
        super().__init__()
        if embed_dims % num_heads != 0:
            raise ValueError(f'embed_dims ({embed_dims}) must be divisible '
                             f'by num_heads ({num_heads})')
        self.common = common
        feedforward_channels = feedforward_channels or 4 * embed_dims
        self.query = nn.Linear(embed_dims, embed_dims)
        self.key = nn.Linear(embed_dims, embed_dims)
        self.value = nn.Linear(embed_dims, embed_dims)
        self.attn = nn.MultiheadAttention(
            embed_dims, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(embed_dims)
        self.ffn = nn.Sequential(
            nn.Linear(embed_dims, feedforward_channels), nn.ReLU(),
            nn.Dropout(dropout), nn.Linear(feedforward_channels, embed_dims))
        self.norm2 = nn.LayerNorm(embed_dims)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def forward(self, src1: torch.Tensor, src2: torch.Tensor) -> torch.Tensor:
        """(N, L, C), (N, L, C) -> (N, L, C)."""
        if src1.shape != src2.shape:
            raise ValueError('AttnBlock needs src1 and src2 of one shape, got '
                             f'{tuple(src1.shape)} and {tuple(src2.shape)}')
        query = self.query(src2)
        key = self.key(src2 if self.common else src1)
        value = self.value(src1)
        attn, _ = self.attn(query, key, value, need_weights=False)
        x = self.norm1(src2 + self.dropout1(attn))
        return self.norm2(x + self.dropout2(self.ffn(x)))

    def extra_repr(self):
        return f'common={self.common}'
