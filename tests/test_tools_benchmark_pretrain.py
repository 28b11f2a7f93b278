from pathlib import Path

import pytest
import torch
from tool_loader import load_tool

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def tool():
    return load_tool('analysis_tools', 'benchmark_pretrain.py')


def test_prints_markdown_table(tool, capsys):
    previous = torch.get_num_threads()
    try:
        tool.main([
            str(ROOT / 'configs/_base_/models/defusionpp_vit-small-test.py'),
            '--batch-size', '2', '--img-size', '32', '--iters', '2',
            '--warmup', '1', '--device', 'cpu', '--threads', '1'
        ])
    finally:
        torch.set_num_threads(previous)
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith('| device | arch |')
    row = [c.strip() for c in out[2].strip('|').split('|')]
    assert row[1] == 'small-test' and row[3] == '32x32' and row[4] == '2'
    assert float(row[5]) > 0 and float(row[6]) > 0 and float(row[7]) > 0
    assert float(row[9]) > 0 and row[10].endswith('%') and row[12] == 'off'


def test_bad_size_is_a_clear_error(tool, capsys):
    with pytest.raises(SystemExit) as err:
        tool.main([
            str(ROOT / 'configs/_base_/models/defusionpp_vit-small-test.py'),
            '--img-size', '30', '--device', 'cpu'
        ])
    assert err.value.code == 2
    assert 'multiple of 16' in capsys.readouterr().err
