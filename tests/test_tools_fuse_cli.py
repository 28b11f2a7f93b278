"""tools/fuse.py: files, folders, components, --force and bad inputs.

A few runs go through a subprocess (the real command line); the many
bad-input cases call the same ``main`` in-process (each subprocess pays
several seconds of torch/mmengine import time).
"""
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / 'tools' / 'fuse.py'
CONFIG = str(REPO / 'configs' / 'fusion' / 'average_tno25.py')


fuse_tool = load_tool('fuse.py')


def run_subprocess(*args):
    env = dict(os.environ)
    env['PYTHONPATH'] = str(REPO) + os.pathsep + env.get('PYTHONPATH', '')
    env.pop('DEFUSION_DEBUG', None)
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          cwd=str(REPO), env=env, capture_output=True,
                          text=True, timeout=120)


def run_inprocess(capfd, *args):
    """Call main(); return (exit code, stdout, stderr)."""
    code = 0
    try:
        fuse_tool.main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capfd.readouterr()
    return code, out, err


def write(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), array)
    return path


def make_pairs(root, names, size=(24, 32)):
    rng = np.random.default_rng(0)
    for name in names:
        write(root / 'ir' / f'{name}.png',
              rng.integers(0, 256, size, dtype=np.uint8))
        write(root / 'vi' / f'{name}.jpg',
              rng.integers(0, 256, (*size, 3), dtype=np.uint8))
    return root / 'ir', root / 'vi'


def files_in(folder):
    return sorted(p.name for p in Path(folder).rglob('*') if p.is_file()) \
        if Path(folder).exists() else []


def assert_one_line_error(code, err, *needles):
    assert code == 2
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert 'Traceback' not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_subprocess_folders_then_refused_without_force(tmp_path):
    ir, vi = make_pairs(tmp_path, ['p1', 'p2'])
    out = tmp_path / 'dir_out'
    res = run_subprocess(CONFIG, 'none', ir, vi, '-o', out, '--show-dir',
                         tmp_path / 'figs', '--save-components', '--task',
                         'ivf')
    assert res.returncode == 0, res.stderr
    assert files_in(out) == ['p1.png', 'p2.png']
    assert cv2.imread(str(out / 'p1.png'), -1).shape == (24, 32, 3)
    assert files_in(tmp_path / 'figs') == ['p1_figure.png', 'p2_figure.png']
    assert 'wrote 2 fused image(s), 2 figure(s)' in res.stdout
    # Second run: refused without --force, nothing changed.
    before = (out / 'p1.png').read_bytes()
    res = run_subprocess(CONFIG, 'none', ir, vi, '-o', out)
    assert_one_line_error(res.returncode, res.stderr, 'exist', '--force')
    assert (out / 'p1.png').read_bytes() == before


def test_files_in_process_and_bad_config(tmp_path, capfd):
    ir, vi = make_pairs(tmp_path, ['p1'])
    out = tmp_path / 'out' / 'fused.png'
    code, text, _ = run_inprocess(capfd, CONFIG, 'none', ir / 'p1.png',
                                  vi / 'p1.jpg', '-o', out, '--task', 'ivf')
    assert code == 0 and 'wrote 1 fused image(s)' in text
    assert cv2.imread(str(out), -1).shape == (24, 32, 3)
    code, _, err = run_inprocess(capfd, tmp_path / 'nope.py', 'none', ir, vi,
                                 '-o', tmp_path / 'o')
    assert_one_line_error(code, err, 'config file not found', 'nope.py')
    assert not (tmp_path / 'o').exists()


def test_force_overwrites_and_checks_all_targets_first(tmp_path, capfd):
    ir, vi = make_pairs(tmp_path, ['p1', 'p2', 'p3'])
    out = tmp_path / 'out'
    write(out / 'p3.png', np.zeros((2, 2), np.uint8))
    code, _, err = run_inprocess(capfd, CONFIG, 'none', ir, vi, '-o', out)
    assert_one_line_error(code, err, '1 output file(s) exist', 'p3.png')
    assert files_in(out) == ['p3.png']  # p1/p2 not written either
    code, out_text, _ = run_inprocess(capfd, CONFIG, 'none', ir, vi, '-o', out,
                                      '--force')
    assert code == 0
    assert files_in(out) == ['p1.png', 'p2.png', 'p3.png']
    assert cv2.imread(str(out / 'p3.png')).shape == (24, 32, 3)
    assert 'wrote 3 fused image(s)' in out_text


def test_save_components_for_a_model_without_components(tmp_path, capfd):
    ir, vi = make_pairs(tmp_path, ['p1'])
    out = tmp_path / 'f.png'
    code, _, _ = run_inprocess(capfd, CONFIG, 'none', ir / 'p1.png',
                               vi / 'p1.jpg', '-o', out, '--save-components')
    assert code == 0
    assert files_in(tmp_path) == sorted(
        ['f.png', 'f_figure.png', 'p1.png', 'p1.jpg'])


@pytest.mark.parametrize('case', [
    'checkpoint', 'input', 'unpaired', 'size', 'truncated', 'mixed',
    'empty', 'out_is_dir'
])
def test_bad_inputs_give_one_line_and_write_nothing(tmp_path, capfd, case):
    ir, vi = make_pairs(tmp_path, ['p1', 'p2'])
    out = tmp_path / 'out'
    args = [CONFIG, 'none', ir, vi, '-o', out]
    needles = []
    if case == 'checkpoint':
        args[1] = tmp_path / 'missing.pth'
        needles = ['checkpoint file not found', 'missing.pth']
    elif case == 'input':
        args[2] = tmp_path / 'no_dir'
        needles = ['input not found', 'no_dir']
    elif case == 'unpaired':
        write(ir / 'lonely.png', np.zeros((24, 32), np.uint8))
        needles = ['unpaired', 'lonely']
    elif case == 'size':
        write(ir / 'p2.png', np.zeros((20, 32), np.uint8))
        needles = ['size mismatch', 'p2.png']
    elif case == 'truncated':
        data = (vi / 'p2.jpg').read_bytes()
        (vi / 'p2.jpg').write_bytes(data[:len(data) // 2])
        needles = ['truncated', 'p2.jpg']
    elif case == 'mixed':
        args[3] = vi / 'p1.jpg'
        needles = ['both be files or both be folders']
    elif case == 'empty':
        (tmp_path / 'empty').mkdir()
        args[2] = tmp_path / 'empty'
        needles = ['no images', 'empty']
    elif case == 'out_is_dir':
        args[2:4] = [ir / 'p1.png', vi / 'p1.jpg']
        out.mkdir()
        needles = ['is a folder']
    code, _, err = run_inprocess(capfd, *args)
    assert_one_line_error(code, err, *needles)
    assert files_in(out) == []


def test_16bit_and_alpha_are_converted_with_a_note(tmp_path, capfd):
    a = write(tmp_path / 'a.png', np.full((16, 16), 65535, np.uint16))
    b = write(tmp_path / 'b.png', np.full((16, 16, 4), 255, np.uint8))
    out = tmp_path / 'f.png'
    code, _, err = run_inprocess(capfd, CONFIG, 'none', a, b, '-o', out,
                                 '--task', 'mef')
    assert code == 0
    assert 'note: 16-bit images scaled' in err and 'a.png' in err
    assert 'note: alpha channel dropped' in err and 'b.png' in err
    assert cv2.imread(str(out), cv2.IMREAD_UNCHANGED).min() == 255
