"""tools/analysis_tools/get_flops.py: parameter counts, FLOPs and errors.

``main`` is called in-process (a subprocess pays several seconds of
torch/mmengine import time per run).
"""
import re
from pathlib import Path

import pytest
from mmengine.config import Config
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / 'configs' / '_base_' / 'models' / \
    'defusionpp_vit-small-test.py'


get_flops = load_tool('analysis_tools', 'get_flops.py')


def run(capfd, *args):
    """Call main(); return (exit code, stdout, stderr)."""
    code = 0
    try:
        get_flops.main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capfd.readouterr()
    return code, out, err


def number(out, label):
    """The integer after ``label:`` on its line of the report."""
    match = re.search(rf'^{re.escape(label)}: (\d+)', out, re.M)
    assert match, f'no "{label}" line in:\n{out}'
    return int(match.group(1))


@pytest.fixture(scope='module')
def reference_model():
    from defusion.registry import MODELS
    from defusion.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    return MODELS.build(Config.fromfile(str(CONFIG)).model)


def test_parameters_and_flop_scaling(capfd, reference_model):
    code, out32, err = run(capfd, CONFIG, '--shape', 32, 32)
    assert code == 0, err
    total = sum(p.numel() for p in reference_model.parameters())
    mfm = sum(p.numel() for p in reference_model.mfm_head.parameters())
    assert mfm > 0
    assert number(out32, 'parameters (all)') == total
    assert number(out32, 'parameters (inference, without mfm_head)') == \
        total - mfm
    flops32 = number(out32, 'FLOPs')
    assert flops32 > 0
    # MACs are half the FLOPs.
    assert number(out32, 'MACs') == flops32 // 2
    # The per-module breakdown adds up to the total.
    parts = re.findall(r'^  (\w+): (\d+)', out32, re.M)
    assert {name for name, _ in parts} == {
        'backbone', 'neck', 'head'}
    assert sum(int(v) for _, v in parts) == flops32

    code, out64, err = run(capfd, CONFIG, '--shape', 64, 64)
    assert code == 0, err
    ratio = number(out64, 'FLOPs') / flops32
    # 4x the pixels: 4 -> 16 patch tokens (+ cls), attention grows faster.
    assert 3.0 < ratio < 5.0, ratio


def test_tensor_mode_and_padding(capfd):
    code, out, err = run(capfd, CONFIG, '--shape', 20, 40, '--mode',
                         'tensor')
    assert code == 0, err
    assert 'padded to 32x48' in out
    tensor_flops = number(out, 'FLOPs')
    code, out, err = run(capfd, CONFIG, '--shape', 32, 48)
    assert code == 0, err
    # The tensor path has no image heads: fewer FLOPs than full fusion.
    assert 0 < tensor_flops < number(out, 'FLOPs')


def assert_one_line_error(code, err, *needles):
    assert code == 2
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert 'Traceback' not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_bad_inputs(capfd, tmp_path):
    not_fusion = tmp_path / 'detector.py'
    not_fusion.write_text("model = dict(type='FasterRCNN')\n"
                          "custom_imports = dict(imports=['no_such_pkg'], "
                          'allow_failed_imports=False)\n')
    code, _, err = run(capfd, not_fusion)
    assert_one_line_error(code, err, 'FasterRCNN',
                          'is not a defusion fusion model')

    no_model = tmp_path / 'empty.py'
    no_model.write_text('x = 1\n')
    code, _, err = run(capfd, no_model)
    assert_one_line_error(code, err, 'has no "model" entry')

    code, _, err = run(capfd, tmp_path / 'missing.py')
    assert_one_line_error(code, err, 'config file not found')

    code, _, err = run(capfd, CONFIG, '--shape', 0, 32)
    assert_one_line_error(code, err, '--shape')
