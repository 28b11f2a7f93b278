"""Runner checkpoints (optimizer + message hub) save and resume under
torch >= 2.6, and a run from a defusion scope logs no registry fallbacks."""
import logging

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader

import defusion  # noqa: F401
from defusion.utils.compat import load_local_checkpoint


class ToyRegressor(BaseModel):
    """y = w x + b fitted with MSE; inputs (N, 2), targets (N, 1)."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        inputs = torch.stack(inputs) if isinstance(inputs, list) else inputs
        pred = self.linear(inputs)
        if mode == 'loss':
            target = torch.stack(data_samples) if isinstance(
                data_samples, list) else data_samples
            return dict(loss=((pred - target)**2).mean())
        return pred


class ToyDataset(torch.utils.data.Dataset):

    def __init__(self, n=32):
        gen = torch.Generator().manual_seed(0)
        self.x = torch.randn(n, 2, generator=gen)
        self.y = self.x @ torch.tensor([[2.0], [-1.0]]) + 0.5

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return dict(inputs=self.x[i], data_samples=self.y[i])


def make_runner(work_dir, max_epochs, resume=False, load_from=None):
    torch.manual_seed(0)  # the model is built before the Runner seeds
    return Runner(
        model=ToyRegressor(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=ToyDataset(),
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_size=8,
            num_workers=0),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.05)),
        param_scheduler=dict(type='MultiStepLR', milestones=[1], gamma=0.5),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=1),
            logger=dict(type='LoggerHook', interval=1)),
        default_scope='defusion',
        randomness=dict(seed=0),
        resume=resume,
        load_from=load_from,
        experiment_name=f'toy_{max_epochs}_{resume}',
    )


def test_local_loader_is_replaced():
    loader = CheckpointLoader._schemes['']
    assert loader is load_local_checkpoint


def test_missing_checkpoint_names_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_local_checkpoint(str(tmp_path / 'nope.pth'))


def test_full_checkpoint_resumes(tmp_path, caplog):
    runner = make_runner(tmp_path, max_epochs=2)
    with caplog.at_level(logging.WARNING):
        runner.train()
    ckpt = tmp_path / 'epoch_2.pth'
    assert ckpt.is_file()
    assert 'Failed to search registry' not in caplog.text

    raw = torch.load(ckpt, weights_only=False)
    assert {'state_dict', 'optimizer', 'message_hub'} <= set(raw)
    # The premise of the compat layer: torch's default refuses this file.
    with pytest.raises(Exception):
        torch.load(ckpt)

    resumed = make_runner(tmp_path, max_epochs=3, resume=True,
                          load_from=str(ckpt))
    resumed.train()
    assert resumed.epoch == 3
    assert (tmp_path / 'epoch_3.pth').is_file()
    # The optimizer state (Adam moments) came back from the checkpoint and
    # the scheduler had already halved the lr once.
    lr = resumed.optim_wrapper.get_lr()['lr'][0]
    assert lr == pytest.approx(0.025)
    # Resuming is exact: 2 epochs + resume 1 equals 3 epochs straight.
    straight = make_runner(tmp_path / 'straight', max_epochs=3)
    straight.train()
    for a, b in zip(resumed.model.parameters(), straight.model.parameters()):
        torch.testing.assert_close(a, b)
