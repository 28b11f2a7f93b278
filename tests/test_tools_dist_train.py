"""Distributed training on CPU: tools/dist_train.sh with 2 processes (gloo),
and the commands the Slurm / dist test scripts build."""
import json
import os
import subprocess
import sys

import pytest
import torch

SMOKE = 'configs/defusionpp/defusionpp_vit-small-test_1xb2-4iter_shared-64px.py'


def read_probe(folder, rank):
    path = folder / f'rank{rank}.jsonl'
    return [json.loads(line) for line in path.read_text().splitlines()]


def probe_config(repo_root, tmp_path, probe, max_iters):
    """The smoke config plus the probe hook, in-process data loading."""
    config = tmp_path / f'probe_{max_iters}.py'
    config.write_text(f"""_base_ = ['{repo_root / SMOKE}']
custom_imports = dict(imports=['ddp_probe'], allow_failed_imports=False)
custom_hooks = [dict(type='DDPProbeHook', out_dir='{probe}')]
train_dataloader = dict(num_workers=0, persistent_workers=False)
val_dataloader = dict(num_workers=0, persistent_workers=False)
train_cfg = dict(max_iters={max_iters}, val_interval={max_iters})
""")
    return config


def dist_train(repo_root, config, work_dir, *extra, port):
    env = dict(os.environ, PORT=str(port), OMP_NUM_THREADS='1',
               PYTHONPATH=f'{repo_root / "tests" / "helpers"}',
               PATH=f'{os.path.dirname(sys.executable)}:{os.environ["PATH"]}')
    env.pop('LOCAL_RANK', None)
    cmd = ['bash', 'tools/dist_train.sh', str(config), '2', '--work-dir',
           str(work_dir), *extra]
    return subprocess.run(cmd, cwd=repo_root, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.skipif(not torch.distributed.is_available(),
                    reason='torch.distributed is not built')
def test_dist_train_two_cpu_processes(repo_root, shared_data, tmp_path):
    work_dir, probe = tmp_path / 'work', tmp_path / 'probe'
    probe.mkdir()
    run = dist_train(repo_root, probe_config(repo_root, tmp_path, probe, 2),
                     work_dir, port=29617)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    ranks = [read_probe(probe, r) for r in (0, 1)]
    assert [len(r) for r in ranks] == [2, 2]
    for rec0, rec1 in zip(*ranks):
        assert rec0['world'] == rec1['world'] == 2
        # DistributedSampler: the two ranks train on different images ...
        assert not set(rec0['images']) & set(rec1['images'])
        # ... and the all-reduced gradients keep the weights identical.
        assert rec0['checksum'] == pytest.approx(rec1['checksum'], rel=1e-6)
    assert ranks[0][0]['checksum'] != ranks[0][1]['checksum']
    # Rank 0 alone writes checkpoints and logs.
    assert sorted(p.name for p in work_dir.glob('iter_*.pth')) == \
        ['iter_2.pth']
    assert len(list(work_dir.glob('*/vis_data/scalars.json'))) == 1
    assert len(list(work_dir.glob('*/*.log'))) == 1

    # --resume continues the distributed run from iteration 2.
    run = dist_train(repo_root, probe_config(repo_root, tmp_path, probe, 4),
                     work_dir, '--resume', port=29618)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    ranks = [read_probe(probe, r) for r in (0, 1)]
    assert [rec['iter'] for rec in ranks[0]] == [1, 2, 3, 4]
    assert ranks[0][-1]['checksum'] == pytest.approx(
        ranks[1][-1]['checksum'], rel=1e-6)
    assert (work_dir / 'iter_4.pth').is_file()
    state = torch.load(work_dir / 'iter_4.pth', weights_only=False)
    assert state['meta']['iter'] == 4


def fake_launcher(tmp_path, name):
    """A fake ``srun`` / ``python`` on PATH that records its arguments."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir(exist_ok=True)
    record = tmp_path / f'{name}.args'
    script = bin_dir / name
    script.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@" > '
                      f'{record}\n')
    script.chmod(0o755)
    return bin_dir, record


def test_slurm_train_builds_the_srun_command(repo_root, tmp_path):
    bin_dir, record = fake_launcher(tmp_path, 'srun')
    env = dict(os.environ, PATH=f'{bin_dir}:{os.environ["PATH"]}', GPUS='4',
               GPUS_PER_NODE='2', CPUS_PER_TASK='3')
    subprocess.run(['bash', 'tools/slurm_train.sh', 'part', 'job', SMOKE,
                    'work_dirs/x', '--amp'], cwd=repo_root, env=env,
                   check=True, capture_output=True)
    args = record.read_text().split('\n')
    assert args[:2] == ['-p', 'part']
    for expected in ('--job-name=job', '--gres=gpu:2', '--ntasks=4',
                     '--ntasks-per-node=2', '--cpus-per-task=3',
                     '--kill-on-bad-exit=1'):
        assert expected in args, expected
    tail = args[args.index('python'):]
    assert tail[:5] == ['python', '-u', 'tools/train.py', SMOKE,
                        '--work-dir=work_dirs/x']
    assert '--launcher=slurm' in tail and '--amp' in tail


def test_dist_test_builds_the_torchrun_command(repo_root, tmp_path):
    bin_dir, record = fake_launcher(tmp_path, 'python')
    env = dict(os.environ, PATH=f'{bin_dir}:{os.environ["PATH"]}',
               PORT='29999')
    subprocess.run(['bash', 'tools/dist_test.sh', SMOKE, 'ckpt.pth', '3',
                    '--out', 'm.json'], cwd=repo_root, env=env, check=True,
                   capture_output=True)
    args = record.read_text().split('\n')
    assert args[:2] == ['-m', 'torch.distributed.run']
    assert '--nproc_per_node=3' in args and '--master_port=29999' in args
    i = next(i for i, a in enumerate(args) if a.endswith('tools/test.py'))
    assert args[i + 1:i + 6] == [SMOKE, 'ckpt.pth', '--launcher', 'pytorch',
                                 '--out']
