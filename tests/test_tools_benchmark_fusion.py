"""tools/analysis_tools/benchmark_fusion.py on one pair and one method."""
import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / 'shared' / 'data'
TOOL = REPO / 'tools' / 'analysis_tools' / 'benchmark_fusion.py'


def _load_tool():
    spec = importlib.util.spec_from_file_location('defusion_bench_tool', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_tool()


@pytest.mark.skipif(not SHARED.is_dir(), reason='shared data not found')
def test_benchmark_one_pair(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / 'bench'
    bench.main([
        '--methods', 'average', '--sets', 'mri_ct', '--max-pairs', '1',
        '--repeats', '1', '--devices', 'cpu', '--out-dir', str(out)
    ])
    result = json.loads((out / 'benchmark_fusion.json').read_text())
    metrics = result['metrics']['mri_ct']['average']
    assert metrics['EN'] > 0 and 0 < metrics['SSIM'] <= 2
    speed = result['speed'][0]
    assert speed['method'] == 'average' and speed['params_M'] == 0
    assert speed['pairs/s@640x480'] > 0 and speed['Mpx/s@1024x768'] > 0
    text = (out / 'benchmark_fusion.md').read_text()
    assert '## mri_ct' in text and '| average |' in text
    assert '## Speed' in text


def test_benchmark_bad_arguments(capsys):
    for argv, needle in [
        (['--sets', 'nope'], 'unknown set'),
        (['--methods', 'magic', '--sets', 'tno25'], 'magic_tno25.py'),
        (['--checkpoints', 'x'], 'METHOD=PATH'),
    ]:
        with pytest.raises(SystemExit) as exit_:
            bench.main(argv)
        assert exit_.value.code == 2
        assert needle in capsys.readouterr().err
