import json
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint

from defusion.apis import init_fuser
from tool_loader import load_tool

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'


@pytest.fixture(scope='module')
def tool():
    return load_tool('analysis_tools', 'learning_curve.py')


@pytest.fixture
def work_dir(tmp_path):
    cfg = Config.fromfile(str(CONFIG))
    with pytest.warns(UserWarning, match='no checkpoint'):
        model = init_fuser(cfg)
    for it in (4, 2):
        save_checkpoint({'state_dict': model.state_dict()},
                        str(tmp_path / f'iter_{it}.pth'))
    return tmp_path


def test_table_of_a_work_dir(tool, work_dir, monkeypatch):
    monkeypatch.chdir(ROOT)
    previous = torch.get_num_threads()
    out = work_dir / 'lc.md'
    try:
        tool.main([str(CONFIG), str(work_dir), '--num-pairs', '2',
                   '--pretext-batches', '1', '--threads', '1',
                   '--out', str(out)])
    finally:
        torch.set_num_threads(previous)
    lines = out.read_text().strip().splitlines()
    assert lines[0].startswith('| checkpoint | iter | pretext_psnr')
    assert lines[0].rstrip().endswith('| bright | flat |')
    assert len(lines) == 5  # header, rule, average, iter_2, iter_4
    rows = json.loads((work_dir / 'lc.json').read_text())['rows']
    assert [r['iter'] for r in rows] == ['-', 2, 4]
    # the pixel average of the demo's sky (visible luma > 0.8)
    assert rows[0]['bright'] == pytest.approx(0.512, abs=0.005)
    assert 0 < rows[0]['VIF'] < 1.5 and 'pretext_psnr' not in rows[0]
    assert rows[0]['flat'] == pytest.approx(0.5)
    for row in rows[1:]:
        assert 0 <= row['bright'] <= 1 and row['pretext_psnr'] > 0
        assert 0 <= row['flat'] <= 1
        assert row['VIF'] >= 0 and row['SF'] > 0
    assert rows[1]['VIF'] == rows[2]['VIF']  # same weights, same scores


def test_vif_split_columns_add_up_to_vif(tool, work_dir, monkeypatch):
    monkeypatch.chdir(ROOT)
    previous = torch.get_num_threads()
    out = work_dir / 'lc_split.md'
    try:
        tool.main([str(CONFIG), str(work_dir / 'iter_2.pth'), '--num-pairs',
                   '2', '--no-pretext', '--threads', '1', '--vif-split',
                   '--out', str(out)])
    finally:
        torch.set_num_threads(previous)
    header = out.read_text().splitlines()[0]
    assert '| VIF_ir | VIF_vis | bright | flat |' in header
    rows = json.loads((work_dir / 'lc_split.json').read_text())['rows']
    for row in rows:
        assert row['VIF_ir'] > 0 and row['VIF_vis'] > 0
        assert row['VIF_ir'] + row['VIF_vis'] == pytest.approx(row['VIF'])


def test_missing_bright_pair_is_a_clear_error(tool, work_dir, capsys):
    with pytest.raises(SystemExit) as err:
        tool.main([str(CONFIG), str(work_dir), '--no-pretext',
                   '--bright-pair', 'missing_ir.png', 'missing_vi.png'])
    assert err.value.code != 0
    assert 'missing_ir.png' in capsys.readouterr().err
