"""tools/analysis_tools/run_downstream_det.py: commands and result table."""
import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_script():
    path = REPO / 'tools' / 'analysis_tools' / 'run_downstream_det.py'
    spec = importlib.util.spec_from_file_location('run_downstream_det', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_commands_share_max_iters():
    script = load_script()
    args = script.parse_args(['--max-iters', '300', '--checkpoint', 'c.pth',
                              '--label-dir', 'labels_vi'])
    commands = {n: script.train_command(args, n) for n in script.VARIANTS}
    assert len(commands) == 4
    for name, cmd in commands.items():
        assert cmd[1] == 'tools/train.py'
        assert (REPO / cmd[2]).is_file()
        assert 'train_cfg.max_iters=300' in cmd
        assert 'param_scheduler.1.end=300' in cmd
        assert 'val_dataloader.dataset.data_prefix.label=labels_vi' in cmd
        has_ckpt = 'model.backbone.init_cfg.checkpoint=c.pth' in cmd
        assert has_ckpt == (name != 'fusion-scratch')


def test_table_from_scalars(tmp_path):
    script = load_script()
    run = tmp_path / 'fusion-pretrained' / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    records = [
        dict(loss=1.0, iter=10, step=10),
        {'coco/bbox_mAP': 0.1, 'coco/bbox_mAP_50': 0.2,
         'coco/bbox_mAP_75': 0.05, 'step': 5},
        {'coco/bbox_mAP': 0.25, 'coco/bbox_mAP_50': 0.5,
         'coco/bbox_mAP_75': 0.2, 'step': 10},
    ]
    (run / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in records) + '\n')
    out = tmp_path / 'table.md'
    script.main(['--max-iters', '10', '--work-root', str(tmp_path),
                 '--collect-only', '--out', str(out)])
    table = out.read_text()
    assert '| fusion-pretrained | VIS + IR | pretext checkpoint | 25.0 | '\
        '50.0 | 20.0 |' in table
    assert '| ir-only | IR only (as both sources) | pretext checkpoint | '\
        '(not run) |' in table
    assert 'labels_fused' in table and '10 iterations' in table
