"""publish_model.py strips a Runner checkpoint to weights + plain meta."""

import numpy as np
import pytest
import torch
from tool_loader import load_tool


@pytest.fixture(scope='module')
def publish_module():
    return load_tool('model_converters', 'publish_model.py')


def test_strip_and_hash(publish_module, tmp_path):
    weights = {'w': torch.randn(4, 4), 'steps': torch.tensor(3)}
    full = dict(
        state_dict=weights,
        optimizer={'state': {}},
        message_hub={'x': np.float64(1.0)},
        meta=dict(iter=7, seed=np.int64(0), cfg='a=1', time='now'))
    src = tmp_path / 'iter_7.pth'
    torch.save(full, src)

    final = publish_module.publish(str(src), str(tmp_path / 'out.pth'),
                                   fp16=True)
    assert final.startswith(str(tmp_path / 'out-')) and final.endswith('.pth')
    loaded = torch.load(final, weights_only=True)
    assert set(loaded) == {'state_dict', 'meta'}
    assert loaded['state_dict']['w'].dtype == torch.float16
    assert loaded['state_dict']['steps'].dtype == torch.int64
    torch.testing.assert_close(loaded['state_dict']['w'].float(),
                               weights['w'], atol=1e-2, rtol=1e-3)
    assert loaded['meta']['iter'] == 7 and loaded['meta']['fp16'] is True
    assert loaded['meta']['seed'] == 0
    assert 'cfg' not in loaded['meta']

    with pytest.raises(FileExistsError):
        publish_module.publish(str(src), str(tmp_path / 'out.pth'), fp16=True)


def test_missing_input(publish_module, tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        publish_module.publish(str(tmp_path / 'nope.pth'),
                               str(tmp_path / 'o.pth'))
