"""The failures of the bad-input sweep (corrupt / NaN / mismatched
checkpoints, unwritable or input-equal outputs, bad devices, DataLoader
worker errors, resume fallback) give one-line errors (exit 2) or a correct
result, and never overwrite an input."""
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from defusion.utils.checkpoint_check import (CheckpointError,
                                             newest_readable_checkpoint,
                                             validate_checkpoint)
from defusion.utils.cli import user_error_message
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]
SMALL_MODEL = 'configs/_base_/models/defusionpp_vit-small-test.py'
AVERAGE = str(REPO / 'configs' / 'fusion' / 'average_tno25.py')
SMOKE = 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'


def run(tool, capfd, *args):
    code = 0
    try:
        tool.main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capfd.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *needles):
    assert code == 2, err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert 'Traceback' not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(scope='module')
def small_model():
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from defusion.registry import MODELS
    init_default_scope('defusion')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(str(REPO / SMALL_MODEL)).model)


@pytest.fixture
def pair(tmp_path):
    rng = np.random.default_rng(0)
    ir = tmp_path / 'ir.png'
    vi = tmp_path / 'vi.png'
    cv2.imwrite(str(ir), rng.integers(0, 256, (32, 48), dtype=np.uint8))
    cv2.imwrite(str(vi), rng.integers(0, 256, (32, 48, 3), dtype=np.uint8))
    return ir, vi


def small_checkpoint(model, path, edit=None):
    state = {k: v.clone() for k, v in model.state_dict().items()}
    if edit:
        edit(state)
    torch.save(dict(state_dict=state, meta={}), path)
    return path


# ------------------------------------------------------------- checkpoints
def test_corrupt_checkpoints_are_named(tmp_path, small_model):
    random_bytes = tmp_path / 'random.pth'
    random_bytes.write_bytes(np.random.default_rng(0).bytes(4096))
    good = small_checkpoint(small_model, tmp_path / 'good.pth')
    truncated = tmp_path / 'truncated.pth'
    truncated.write_bytes(good.read_bytes()[:2000])
    tensor = tmp_path / 'tensor.pth'
    torch.save(torch.zeros(3), tensor)
    for path, needle in ((random_bytes, 'cannot be read'),
                         (truncated, 'cannot be read'),
                         (tensor, 'holds a Tensor')):
        with pytest.raises(CheckpointError, match=needle) as info:
            validate_checkpoint(str(path), small_model)
        assert str(path) in str(info.value)
    validate_checkpoint(str(good), small_model)


def test_nan_and_mismatched_checkpoints(tmp_path, small_model):
    def one_nan(state):
        state['backbone.patch_embed.proj.weight'][0, 0, 0, 0] = float('nan')

    nan = small_checkpoint(small_model, tmp_path / 'nan.pth', one_nan)
    with pytest.raises(CheckpointError,
                       match=r'NaN/Inf values in backbone\.patch_embed'):
        validate_checkpoint(str(nan), small_model)
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'foo.weight': torch.zeros(2)}), other)
    with pytest.raises(CheckpointError, match='matches none'):
        validate_checkpoint(str(other), small_model)

    def drop_neck(state):
        for key in [k for k in state if k.startswith('neck.')]:
            del state[key]

    partial = small_checkpoint(small_model, tmp_path / 'partial.pth',
                               drop_neck)
    with pytest.raises(CheckpointError, match='lacks .* weights.*neck'):
        validate_checkpoint(str(partial), small_model)

    def drop_mfm(state):
        for key in [k for k in state if k.startswith('mfm_head.')]:
            del state[key]

    no_mfm = small_checkpoint(small_model, tmp_path / 'no_mfm.pth', drop_mfm)
    validate_checkpoint(str(no_mfm), small_model, ('mfm_head.', ))


def test_fuse_cli_rejects_bad_checkpoints_and_writes_nothing(
        tmp_path, capfd, small_model, pair):
    fuse_tool = load_tool('fuse.py')
    config = REPO / 'configs' / 'defusionpp' / \
        'defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'
    nan = small_checkpoint(
        small_model, tmp_path / 'nan.pth',
        lambda s: s['backbone.patch_embed.proj.weight'].fill_(float('nan')))
    out = tmp_path / 'out' / 'fused.png'
    code, _, err = run(fuse_tool, capfd, config, nan, *pair, '-o', out)
    assert_one_line_error(code, err, 'nan.pth', 'NaN/Inf')
    code, _, err = run(fuse_tool, capfd, config, 'none', *pair, '-o', out)
    assert_one_line_error(code, err, 'trainable weights')
    assert not out.exists()


def test_test_cli_rejects_none_for_a_trained_model(capfd, tmp_path):
    test_tool = load_tool('test.py')
    config = REPO / 'configs' / 'fusion' / \
        'defusionpp_vit-tiny-p16_zeroshot_tno25.py'
    code, _, err = run(test_tool, capfd, config, 'none', '--work-dir',
                       tmp_path)
    assert_one_line_error(code, err, 'trainable weights')


def test_resume_falls_back_to_the_newest_readable_checkpoint(
        tmp_path, small_model):
    small_checkpoint(small_model, tmp_path / 'iter_2.pth')
    (tmp_path / 'iter_4.pth').write_bytes(b'truncated')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    path, skipped = newest_readable_checkpoint(str(tmp_path))
    assert path == str(tmp_path / 'iter_2.pth')
    assert [s[0] for s in skipped] == [str(tmp_path / 'iter_4.pth')]


def test_train_cli_resume_says_what_it_skipped(tmp_path, capfd,
                                               shared_data, monkeypatch):
    monkeypatch.chdir(REPO)
    train = load_tool('train.py')
    (tmp_path / 'iter_4.pth').write_bytes(b'truncated')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    code, _, err = run(train, capfd, SMOKE, '--work-dir', tmp_path,
                       '--resume')
    assert_one_line_error(code, err.split('\n', 1)[1], 'no readable')
    assert 'skipping' in err and 'iter_4.pth' in err


def test_train_cli_rejects_a_classical_config(capfd):
    train = load_tool('train.py')
    code, _, err = run(train, capfd, AVERAGE)
    assert_one_line_error(code, err, 'not a training config')


def test_fuse_cli_refuses_a_detection_model(tmp_path, capfd, pair):
    fuse_tool = load_tool('fuse.py')
    code, _, err = run(fuse_tool, capfd, *pair, '-o', tmp_path / 'f.png',
                       '--model',
                       'faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb2-iter_'
                       'msrs361')
    assert_one_line_error(code, err, 'is a downstream model',
                          'Object Detection', 'does not fuse images')
    assert not (tmp_path / 'f.png').exists()


# ----------------------------------------------------------------- outputs
@pytest.mark.parametrize('out_name, needle', [
    ('fused.xyz', "cannot write images of type '.xyz'"),
    ('ir.png', 'is one of the input files'),
])
def test_fuse_cli_checks_outputs_first(tmp_path, capfd, pair, out_name,
                                       needle):
    fuse_tool = load_tool('fuse.py')
    before = pair[0].read_bytes()
    out = tmp_path / out_name
    code, _, err = run(fuse_tool, capfd, AVERAGE, 'none', *pair, '-o', out,
                       '--force')
    assert_one_line_error(code, err, needle)
    assert pair[0].read_bytes() == before
    if out_name.endswith('.xyz'):
        assert not out.exists()


def test_fuse_cli_never_writes_into_an_input_folder(tmp_path, capfd):
    fuse_tool = load_tool('fuse.py')
    rng = np.random.default_rng(0)
    for sub in ('ir', 'vi'):
        (tmp_path / sub).mkdir()
        cv2.imwrite(str(tmp_path / sub / 'a.png'),
                    rng.integers(0, 256, (16, 16), dtype=np.uint8))
    before = (tmp_path / 'ir' / 'a.png').read_bytes()
    code, _, err = run(fuse_tool, capfd, AVERAGE, 'none', tmp_path / 'ir',
                       tmp_path / 'vi', '-o', tmp_path / 'ir', '--force')
    assert_one_line_error(code, err, 'is an input folder')
    assert (tmp_path / 'ir' / 'a.png').read_bytes() == before
    out = tmp_path / 'out'
    code, _, err = run(fuse_tool, capfd, AVERAGE, 'none', tmp_path / 'ir',
                       tmp_path / 'vi', '-o', out, '--ext', '.xyz')
    assert_one_line_error(code, err, "'.xyz'")
    assert not out.exists()


@pytest.mark.parametrize('device, needle', [
    ('gpu', 'is not a device'),
    ('cuda:0', 'CUDA'),
])
def test_fuse_cli_validates_the_device(tmp_path, capfd, pair, device,
                                       needle):
    if device.startswith('cuda') and torch.cuda.is_available():
        pytest.skip('CUDA is available here')
    fuse_tool = load_tool('fuse.py')
    code, _, err = run(fuse_tool, capfd, AVERAGE, 'none', *pair, '-o',
                       tmp_path / 'f.png', '--device', device)
    assert_one_line_error(code, err, needle)


def test_fuse_cli_rejects_a_bad_shift_step(tmp_path, capfd, pair):
    fuse_tool = load_tool('fuse.py')
    out = tmp_path / 'f.png'
    code, _, err = run(fuse_tool, capfd, AVERAGE, 'none', *pair, '-o', out,
                       '--shift-step', '3')
    assert_one_line_error(code, err, 'shift_step', 'got 3')
    assert not out.exists()


def test_tiled_fusion_shows_progress(tmp_path, capfd, pair, monkeypatch):
    fuse_tool = load_tool('fuse.py')
    monkeypatch.setattr(fuse_tool.sys.stderr, 'isatty', lambda: True)
    out = tmp_path / 'f.png'
    code, out_text, err = run(fuse_tool, capfd, AVERAGE, 'none', *pair, '-o',
                              out, '--tile-size', '16', '--tile-overlap', '0')
    assert code in (0, None), err
    assert out.is_file()
    assert '6/6' in err  # 2 x 3 tiles of 16 px


# ------------------------------------------------------- worker errors
def test_worker_errors_are_unwrapped():
    wrapped = ValueError(
        'Caught ValueError in DataLoader worker process 0.\n'
        'Original Traceback (most recent call last):\n'
        '  File "x.py", line 1, in <module>\n'
        'ValueError: size mismatch: a.png is 8x8 but b.png is 9x9 (WxH)\n')
    assert user_error_message(wrapped) == (
        'ValueError', 'size mismatch: a.png is 8x8 but b.png is 9x9 (WxH)')
    assert user_error_message(KeyError('k')) == ('KeyError', 'k')


def test_test_cli_worker_error_is_one_line(tmp_path, capfd):
    test_tool = load_tool('test.py')
    for sub, size in (('ir', (16, 16)), ('vi', (16, 24))):
        (tmp_path / sub).mkdir()
        cv2.imwrite(str(tmp_path / sub / 'a.png'),
                    np.zeros(size, np.uint8))
    code, _, err = run(
        test_tool, capfd, AVERAGE, 'none', '--work-dir', tmp_path / 'w',
        '--cfg-options',
        f'test_dataloader.dataset.data_root={tmp_path}',
        'test_dataloader.num_workers=1')
    error_lines = [l for l in err.splitlines() if 'error:' in l]
    assert code == 2 and len(error_lines) == 1, err
    assert 'size' in error_lines[0] and 'DataLoader worker' not in err
