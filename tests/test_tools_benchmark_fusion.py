"""tools/analysis_tools/benchmark_fusion.py on one pair and one method."""
import json
from pathlib import Path

import pytest
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / 'shared' / 'data'


bench = load_tool('analysis_tools', 'benchmark_fusion.py')


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


def test_merge_keeps_earlier_rows(tmp_path):
    earlier = tmp_path / 'earlier.json'
    earlier.write_text(json.dumps(dict(
        metrics={'tno25': {'gff': {'VIF': 0.5}, 'average': {'VIF': 0.1}},
                 'lytro': {'gff': {'VIF': 0.9}}},
        speed=[dict(method='gff', device='cpu', params_M=0)],
        checkpoints={})))
    results = {'tno25': {'dfpp': {'VIF': 0.7}, 'average': {'VIF': 0.2}}}
    speed = [dict(method='dfpp', device='cpu', params_M=12.4)]
    merged, speed, ckpts = bench.merge_earlier(
        bench.load_earlier(str(earlier)), results, speed, {'dfpp': 'x.pth'})
    # this run first and winning on a clash, then the rows not rerun
    assert list(merged['tno25']) == ['dfpp', 'average', 'gff']
    assert merged['tno25']['average'] == {'VIF': 0.2}
    assert merged['lytro'] == {'gff': {'VIF': 0.9}}
    assert [r['method'] for r in speed] == ['dfpp', 'gff']
    assert ckpts == {'dfpp': 'x.pth'}


def test_merge_bad_file(tmp_path, capsys):
    bad = tmp_path / 'bad.json'
    bad.write_text('{"metrics": 1')
    for path, needle in [(bad, 'not a benchmark_fusion.json'),
                         (tmp_path / 'missing.json', 'file not found')]:
        with pytest.raises(SystemExit) as exit_:
            bench.main(['--sets', 'tno25', '--no-metrics', '--no-speed',
                        '--out-dir', str(tmp_path / 'o'), '--merge',
                        str(path)])
        assert exit_.value.code == 2
        assert needle in capsys.readouterr().err
        # read before any work: nothing was written
        assert not (tmp_path / 'o').exists()
