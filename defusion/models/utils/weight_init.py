"""MAE-style default initialisation shared by the DeFusion++ modules."""
import torch.nn as nn


def init_linear_and_norm(module: nn.Module) -> None:
    """Xavier-uniform weights and zero biases for every ``nn.Linear``; unit
    weight and zero bias for every ``nn.LayerNorm`` inside ``module``."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.MultiheadAttention):
            if m.in_proj_weight is not None:
                nn.init.xavier_uniform_(m.in_proj_weight)
            if m.in_proj_bias is not None:
                nn.init.zeros_(m.in_proj_bias)


#: The same MAE-style init as an mmengine ``init_cfg`` (the default of the
#: neck and heads; ``nn.MultiheadAttention`` initialises its own input
#: projection that way when it is built).
MAE_INIT_CFG = [
    dict(type='Xavier', layer='Linear', distribution='uniform', bias=0.),
    dict(type='Constant', layer='LayerNorm', val=1., bias=0.),
]
