"""tools/train.py and tools/test.py turn bad arguments into one-line errors."""
import subprocess
import sys

import pytest
from mmengine.config import Config

from defusion.utils.cli import CLIError, check_cfg_options


def run_tool(repo_root, *args):
    return subprocess.run([sys.executable, *args],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=300)


@pytest.fixture
def tiny_cfg_file(tmp_path):
    path = tmp_path / 'tiny_cfg.py'
    path.write_text("model = dict(type='NoSuchModel', width=4)\n"
                    "optim_wrapper = dict(optimizer=dict(type='Adam', "
                    "lr=0.1))\n"
                    "train_cfg = dict(max_iters=2)\n"
                    "train_dataloader = dict(dataset=dict(type='X'), "
                    "batch_size=1)\n")
    return path


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert 'Traceback' not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_missing_config(repo_root, tmp_path):
    proc = run_tool(repo_root, 'tools/train.py', str(tmp_path / 'nope.py'))
    assert_one_line_error(proc, 'config file not found', 'nope.py')


def test_unknown_cfg_option(repo_root, tiny_cfg_file):
    proc = run_tool(repo_root, 'tools/train.py', str(tiny_cfg_file),
                    '--cfg-options', 'train_cfg.max_itres=3')
    assert_one_line_error(proc, 'max_itres', 'train_cfg')


def test_missing_resume_checkpoint(repo_root, tiny_cfg_file, tmp_path):
    proc = run_tool(repo_root, 'tools/train.py', str(tiny_cfg_file),
                    '--work-dir', str(tmp_path / 'wd'), '--resume',
                    str(tmp_path / 'missing.pth'))
    assert_one_line_error(proc, 'checkpoint file not found', 'missing.pth')
    assert not (tmp_path / 'wd').exists()


def test_unknown_model_type(repo_root, tiny_cfg_file, tmp_path):
    proc = run_tool(repo_root, 'tools/train.py', str(tiny_cfg_file),
                    '--work-dir', str(tmp_path / 'wd'))
    assert_one_line_error(proc, 'NoSuchModel')


def test_test_tool_missing_checkpoint(repo_root, tiny_cfg_file, tmp_path):
    proc = run_tool(repo_root, 'tools/test.py', str(tiny_cfg_file),
                    str(tmp_path / 'missing.pth'))
    assert_one_line_error(proc, 'checkpoint file not found', 'missing.pth')


@pytest.mark.parametrize('key,ok', [
    ('train_cfg.max_iters', True),
    ('model.width', True),
    ('model.depth', True),  # new kwarg of a component dict
    ('randomness.seed', True),  # new Runner argument
    ('train_cfg.max_itres', False),
    ('modle.width', False),
    ('optim_wrapper.optimizer.lr', True),
    ('optim_wrapper.optimzer.lr', False),
])
def test_check_cfg_options(key, ok):
    cfg = Config(
        dict(
            model=dict(type='M', width=4),
            train_cfg=dict(max_iters=2),
            optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.1))))
    if ok:
        check_cfg_options(cfg, {key: 1})
    else:
        with pytest.raises(CLIError, match=key.split('.')[-2]
                           if 'max_itres' not in key else 'max_itres'):
            check_cfg_options(cfg, {key: 1})
