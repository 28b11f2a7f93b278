"""tools/train.py trains the smoke config, writes checkpoints, resumes with
``--resume`` (auto) and tools/test.py evaluates the result."""
import json

import pytest
import torch
from tool_loader import load_tool

SMOKE = 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'


@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


def test_train_resume_and_test(repo_root, shared_data, tmp_path, monkeypatch):
    monkeypatch.chdir(repo_root)
    train = load_tool('train.py')
    work_dir = tmp_path / 'smoke'
    train.main([
        SMOKE, '--work-dir',
        str(work_dir), '--cfg-options', 'train_cfg.max_iters=2',
        'train_cfg.val_interval=2'
    ])
    ckpt = work_dir / 'iter_2.pth'
    assert ckpt.is_file()
    state = torch.load(ckpt, weights_only=False)
    assert state['meta']['iter'] == 2
    assert any(k.startswith('backbone.') for k in state['state_dict'])

    # --resume without a value continues from the latest checkpoint.
    train.main([SMOKE, '--work-dir', str(work_dir), '--resume'])
    resumed = torch.load(work_dir / 'iter_4.pth', weights_only=False)
    assert resumed['meta']['iter'] == 4
    logs = sorted(work_dir.glob('*/vis_data/scalars.json'))
    assert logs, 'no scalar log written'
    last_run = [json.loads(line) for line in logs[-1].read_text().splitlines()]
    iters = [rec['iter'] for rec in last_run if 'loss' in rec]
    assert iters and min(iters) == 3, iters  # it did not start again at 1
    for key in ('loss_common', 'loss_unique_a', 'loss_unique_b', 'loss_mfm',
                'loss_fused_l1', 'loss_fused_ssim'):
        assert key in last_run[0], key

    test = load_tool('test.py')
    out = tmp_path / 'metrics.json'
    test.main([
        SMOKE,
        str(work_dir / 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'test'), '--out',
        str(out)
    ])
    metrics = json.loads(out.read_text())
    assert 0 < metrics['pretext/psnr_fused'] < 100
    assert 0 < metrics['pretext/psnr_source_a'] < 100
