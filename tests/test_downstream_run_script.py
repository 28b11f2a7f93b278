"""tools/analysis_tools/run_downstream_det.py: commands, runs and tables."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / 'tools' / 'analysis_tools' / 'run_downstream_det.py'


def load_script():
    return load_tool('analysis_tools', 'run_downstream_det.py')


def test_commands_share_max_iters_and_protocol():
    script = load_script()
    args = script.parse_args(['--max-iters', '300', '--checkpoint', 'c.pth',
                              '--label-dir', 'labels_vi', '--lr', '2e-4'])
    assert args.protocol == 'frozen' and args.val_interval == 60
    commands = {n: script.train_command(args, n, 1) for n in script.VARIANTS}
    assert len(commands) == 4
    for name, cmd in commands.items():
        assert cmd[1:3] == ['tools/train.py', script.DEFAULT_CONFIG]
        assert (REPO / cmd[2]).is_file()
        assert cmd[cmd.index('--work-dir') + 1] == \
            f'work_dirs/downstream_det/frozen/{name}_s1'
        for option in ('train_cfg.max_iters=300', 'train_cfg.val_interval=60',
                       'param_scheduler.1.end=300', 'randomness.seed=1',
                       'optim_wrapper.optimizer.lr=0.0002',
                       'model.backbone.frozen_encoder=True',
                       'model.backbone.frozen_cud=True',
                       'val_dataloader.dataset.data_prefix.label=labels_vi'):
            assert option in cmd, (name, option)
        has_ckpt = 'model.backbone.init_cfg.checkpoint=c.pth' in cmd
        assert has_ckpt == (name != 'fusion-scratch')
    finetune = script.parse_args(['--protocol', 'finetune'])
    cmd = script.train_command(finetune, 'fusion-pretrained')
    assert not any('frozen' in c for c in cmd)
    assert 'work_dirs/downstream_det/finetune/fusion-pretrained_s0' in cmd


def test_variant_options_equal_the_variant_configs():
    """The options of each variant turn the fusion-pretrained config into
    that variant's own config file."""
    from mmengine.config import Config
    script = load_script()
    files = {
        'fusion-scratch': 'scratch', 'vis-only': 'vis', 'ir-only': 'ir'}
    for name, tag in files.items():
        cfg = Config.fromfile(str(REPO / script.DEFAULT_CONFIG))
        options = dict(o.split('=', 1) for o in script.VARIANTS[name][0])
        options = {k: (None if v == 'None' else v)
                   for k, v in options.items()}
        cfg.merge_from_dict(options)
        own = Config.fromfile(str(
            REPO / 'configs' / 'downstream' /
            f'faster-rcnn_defusionpp-vit-tiny-p16-{tag}_fpn_1xb2-iter_'
            'msrs361.py'))
        assert cfg.model.to_dict() == own.model.to_dict(), name


def test_seeds_repeat_only_the_chosen_variants():
    script = load_script()
    args = script.parse_args(['--seeds', '0', '3'])
    assert script.runs(args) == [
        ('fusion-pretrained', 0), ('fusion-scratch', 0), ('vis-only', 0),
        ('ir-only', 0), ('fusion-pretrained', 3), ('fusion-scratch', 3)]


def write_scalars(run_dir, maps):
    """A scalars.json with training records and one validation per
    (step, mAP@0.5) of ``maps``."""
    vis = run_dir / '20260101_000000' / 'vis_data'
    vis.mkdir(parents=True)
    records = [dict(loss=1.0, iter=10, step=10)]
    for step, m50 in maps:
        records.append({'coco/bbox_mAP': m50 / 2, 'coco/bbox_mAP_50': m50,
                        'coco/bbox_mAP_75': m50 / 4, 'step': step})
    (vis / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in records) + '\n')


def test_table_from_scalars(tmp_path):
    script = load_script()
    root = tmp_path / 'frozen'
    write_scalars(root / 'fusion-pretrained_s0', [(5, 0.2), (10, 0.5)])
    write_scalars(root / 'fusion-pretrained_s1', [(5, 0.1), (10, 0.3)])
    (root / 'fusion-pretrained_s0' / 'run_info.json').write_text(
        json.dumps(dict(wall_s=600, threads=1)))
    (root / 'fusion-pretrained_s1' / 'run_info.json').write_text(
        json.dumps(dict(wall_s=1200, threads=1)))
    # a run that stopped before its last iteration does not count
    write_scalars(root / 'fusion-scratch_s0', [(5, 0.1)])
    out = tmp_path / 'table.md'
    script.main(['--max-iters', '10', '--val-interval', '5', '--work-root',
                 str(tmp_path), '--seeds', '0', '1', '--collect-only',
                 '--out', str(out)])
    table = out.read_text()
    assert '| fusion-pretrained | VIS + IR | pretext checkpoint | 0, 1 | '\
        '20.0 ± 5.0 | 40.0 ± 10.0 | 10.0 ± 2.5 | 15 min (1 thread(s) '\
        'each) |' in table
    assert '| fusion-scratch | VIS + IR | random | - | (not run) |' in table
    assert '| Run | 5 | 10 |' in table
    assert '| fusion-pretrained s1 | 10.0 | 30.0 |' in table
    assert '| fusion-scratch s0 | 10.0 | - |' in table
    assert '| ir-only s0 | - | - |' in table
    assert 'labels_fused' in table and '10 iterations' in table
    assert 'Protocol **frozen**' in table


@pytest.mark.parametrize('argv, message', [
    (['--max-iters', '10', '--val-interval', '3'], 'must divide'),
    (['--jobs', '0'], '--jobs must be >= 1'),
    (['--lr', '-1'], '--lr must be > 0'),
    (['--checkpoint', 'no/such.pth'], 'pretext checkpoint not found'),
    (['--config', 'no/such.py'], '--config: file not found: no/such.py'),
])
def test_bad_arguments(argv, message):
    proc = subprocess.run([sys.executable, str(SCRIPT), *argv],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_train_all_runs_jobs_in_parallel_and_records_wall_time(
        tmp_path, monkeypatch):
    """train_all starts ``jobs`` runs at once with cpus/jobs threads and
    writes run_info.json (a stand-in command replaces tools/train.py)."""
    script = load_script()
    args = script.parse_args(['--work-root', str(tmp_path), '--jobs', '2',
                              '--variants', 'fusion-scratch', 'vis-only'])
    probe = ('import os, sys; print(os.environ["OMP_NUM_THREADS"]); '
             'sys.exit(3 if "vis-only" in sys.argv[-1] else 0)')
    monkeypatch.setattr(
        script, 'train_command',
        lambda a, n, s=0: [sys.executable, '-c', probe,
                           script.work_dir(a, n, s)])
    monkeypatch.setattr(script.os, 'cpu_count', lambda: 4)
    failed = script.train_all(args)
    assert failed == ['vis-only s0']
    for name, code in (('fusion-scratch', 0), ('vis-only', 3)):
        run_dir = tmp_path / 'frozen' / f'{name}_s0'
        info = json.loads((run_dir / 'run_info.json').read_text())
        assert info['returncode'] == code and info['threads'] == 2
        assert info['wall_s'] >= 0
        assert (run_dir / 'train_stdout.log').read_text().strip() == '2'
