"""tools/dataset_converters/pack_msrs361_det.py, the 640 px GPU detection
config and tools/gpu_downstream_det.sh (its commands, on the CPU)."""
import os
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest

GPU_CONFIG = ('configs/downstream/faster-rcnn_defusionpp-vit-tiny-p16_fpn_'
              '1xb8-amp-iter_msrs361-640px_gpu.py')
PACK = 'tools/dataset_converters/pack_msrs361_det.py'


def make_msrs(root, names=('00001D', '00002N', '00003D')):
    """A 3-pair MSRS-361 layout: train = first two names, val = the last."""
    rng = np.random.default_rng(0)
    for folder in ('vi', 'ir', 'labels_fused', 'splits'):
        (root / folder).mkdir(parents=True)
    for name in names:
        base = rng.integers(0, 256, (24, 32, 3), dtype=np.uint8)
        vis = cv2.resize(base, (640, 480))
        cv2.imwrite(str(root / 'vi' / f'{name}.jpg'), vis)
        cv2.imwrite(str(root / 'ir' / f'{name}.png'), vis[..., 0])
        (root / 'labels_fused' / f'{name}.txt').write_text(
            '0 0.5 0.5 0.2 0.4\n')
    (root / 'splits' / 'train.txt').write_text('\n'.join(names[:2]) + '\n')
    (root / 'splits' / 'val.txt').write_text(names[2] + '\n')
    (root / 'classes.txt').write_text('person\nbicycle\ncar\n')


def pack(repo_root, *args):
    return subprocess.run([sys.executable, PACK, *args], cwd=repo_root,
                          capture_output=True, text=True)


def test_pack_msrs361_det(repo_root, tmp_path):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    make_msrs(src)
    run = pack(repo_root, '--src', str(src), '--dst', str(dst))
    assert run.returncode == 0, run.stderr
    assert 'packed 3 pairs' in run.stdout
    ir = cv2.imread(str(dst / 'ir' / '00002N.jpg'), cv2.IMREAD_UNCHANGED)
    assert ir.shape == (480, 640)  # grey, original size
    vis = cv2.imread(str(dst / 'vi' / '00002N.jpg'))
    src_vis = cv2.imread(str(src / 'vi' / '00002N.jpg'))
    assert vis.shape == (480, 640, 3)
    assert np.abs(vis.astype(int) - src_vis).mean() < 4
    assert (dst / 'labels_fused' / '00003D.txt').read_text() == \
        '0 0.5 0.5 0.2 0.4\n'
    assert (dst / 'splits' / 'val.txt').read_text() == '00003D\n'
    again = pack(repo_root, '--src', str(src), '--dst', str(dst))
    assert again.returncode == 2 and 'not empty' in again.stderr
    tiny = pack(repo_root, '--src', str(src), '--dst', str(tmp_path / 'x'),
                '--max-mib', '0.001')
    assert tiny.returncode == 2 and 'exceeds' in tiny.stderr
    bad = pack(repo_root, '--src', str(tmp_path / 'none'), '--dst',
               str(tmp_path / 'y'))
    assert bad.returncode == 2 and 'split file not found' in bad.stderr


def test_gpu_config_reads_the_packed_copy(repo_root, tmp_path):
    pytest.importorskip('mmdet')
    import mmdet.datasets  # noqa: F401 (registers mmdet's transforms)
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import defusion.downstream  # noqa: F401
    from defusion.registry import DATASETS
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    make_msrs(src)
    assert pack(repo_root, '--src', str(src), '--dst', str(dst)).returncode \
        == 0
    cfg = Config.fromfile(str(repo_root / GPU_CONFIG))
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'
    assert cfg.train_dataloader.dataset.data_root == 'data/msrs361_packed/'
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.data_root = str(dst)
    with DefaultScope.overwrite_default_scope('mmdet'):
        dataset = DATASETS.build(dataset_cfg)
        assert len(dataset) == 2
        sample = dataset[0]
    # 640x480 kept (the papers' resolution), 6 channels, one person box
    assert tuple(sample['inputs'].shape) == (6, 480, 640)
    assert sample['data_samples'].gt_instances.bboxes.shape == (1, 4)


def test_gpu_downstream_det_commands(repo_root, tmp_path):
    """The script runs the 4 variants + 2 extra seeds on the GPU config
    (printed with --dry-run; mmcv and mmdet come from this environment)."""
    pytest.importorskip('mmdet')
    if shutil.which('bash') is None:
        pytest.skip('bash not found')
    repo = tmp_path / 'repo'
    shutil.copytree(repo_root / 'tools', repo / 'tools')
    shutil.copytree(repo_root / 'configs', repo / 'configs')
    make_msrs(repo / 'data' / 'msrs361_packed')
    env = dict(os.environ, PY=sys.executable, PYTHONPATH=str(repo_root),
               ITERS='50')
    run = subprocess.run(['bash', 'tools/gpu_downstream_det.sh',
                          str(tmp_path / 'out'), '--dry-run'], cwd=repo,
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 6
    for line in lines:
        assert GPU_CONFIG in line and 'train_cfg.max_iters=50' in line
        assert 'train_cfg.val_interval=10' in line
        assert 'frozen' not in line and '/tmp/gpu_det/finetune/' in line
    assert sum('randomness.seed=1' in line for line in lines) == 2
    shutil.rmtree(repo / 'data' / 'msrs361_packed')
    missing = subprocess.run(['bash', 'tools/gpu_downstream_det.sh',
                              str(tmp_path / 'out')], cwd=repo, env=env,
                             capture_output=True, text=True)
    assert missing.returncode == 2
    assert 'data/msrs361_packed not found' in missing.stderr
