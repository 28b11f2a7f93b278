"""model-index.yml and the metafiles it imports.

``test_repository_model_index`` checks this repository and FAILS (it does
not skip) while ``model-index.yml`` is missing. The other tests check the
checker itself on small generated repositories.
"""
from pathlib import Path

import pytest
import torch
from tool_loader import load_tool

REPO = Path(__file__).resolve().parents[1]


checker = load_tool('analysis_tools', 'check_model_index.py')


def test_repository_model_index():
    problems, summary = checker.check_model_index(str(REPO))
    assert not problems, 'model-index problems:\n' + '\n'.join(problems)
    assert summary['models'] > 0, 'model-index.yml lists no models'


# --------------------------------------------------------------- checker
INDEX = 'Import:\n  - configs/toy/metafile.yml\n'
METAFILE = """\
Collections:
  - Name: Toy
    Paper:
      Title: A toy
Models:
  - Name: toy_model
    In Collection: Toy
    Config: configs/toy/toy_config.py
    Weights: checkpoints/toy.pth
    Results:
      - Task: Image Fusion
        Dataset: TNO
        Metrics:
          EN: 7.10
          MI: 2.345
          SD: 40
      - Task: Image Fusion
        Dataset: MSRS
        Metrics:
          VIF: 0.87
"""
README = """\
# Toy

| set | EN | MI | SD | VIF |
|---|---|---|---|---|
| TNO | 7.1 | 2.345 | 40 | - |
| MSRS | - | - | - | **0.87** |
"""


def make_repo(root: Path, index=INDEX, metafile=METAFILE, readme=README,
              weights=None):
    (root / 'configs' / 'toy').mkdir(parents=True)
    (root / 'checkpoints').mkdir()
    if index is not None:
        (root / 'model-index.yml').write_text(index)
    (root / 'configs' / 'toy' / 'metafile.yml').write_text(metafile)
    (root / 'configs' / 'toy' / 'README.md').write_text(readme)
    (root / 'configs' / 'toy' / 'toy_config.py').write_text(
        "model = dict(type='AverageFusion')\n")
    if weights is None:
        weights = dict(
            state_dict=dict(w=torch.ones(2, 2, dtype=torch.float16)),
            meta=dict(epoch=1))
    torch.save(weights, root / 'checkpoints' / 'toy.pth')
    return root


def test_checker_accepts_a_good_repository(tmp_path):
    problems, summary = checker.check_model_index(str(make_repo(tmp_path)))
    assert problems == []
    assert summary == dict(metafiles=1, models=1, metrics=4)
    assert checker.main(['--root', str(tmp_path)]) == 0


def test_checker_missing_index_is_a_problem(tmp_path, capsys):
    make_repo(tmp_path, index=None)
    problems, _ = checker.check_model_index(str(tmp_path))
    assert len(problems) == 1
    assert 'model-index.yml not found' in problems[0]
    assert checker.main(['--root', str(tmp_path)]) == 1
    assert 'model-index.yml not found' in capsys.readouterr().out


class NotATensor:
    """A pickled object that weights_only loading refuses."""


@pytest.mark.parametrize(
    'change, needle',
    [
        (dict(index='Import:\n  - configs/nope/metafile.yml\n'),
         'configs/nope/metafile.yml does not exist'),
        (dict(index='Models: []\n'), 'no "Import" list'),
        (dict(metafile=METAFILE.replace('toy_config.py', 'gone.py')),
         'Config configs/toy/gone.py does not exist'),
        (dict(metafile=METAFILE.replace('checkpoints/toy.pth',
                                        'checkpoints/gone.pth')),
         'Weights checkpoints/gone.pth does not exist'),
        (dict(metafile=METAFILE.replace('checkpoints/toy.pth',
                                        'https://x.org/toy.pth')),
         'is a URL'),
        (dict(weights=dict(state_dict={}, extra=NotATensor())),
         'does not load with torch.load(weights_only=True)'),
        # A rounded value that differs from the README, and a number that
        # only occurs inside a longer one (12.345).
        (dict(metafile=METAFILE.replace('7.10', '7.104')),
         'TNO EN = 7.104 does not appear'),
        (dict(readme=README.replace('| 2.345 |', '| 12.345 |')),
         'TNO MI = 2.345 does not appear'),
        (dict(readme=README.replace('**0.87**', '0.870001')),
         'MSRS VIF = 0.87 does not appear'),
        (dict(metafile=METAFILE.replace('In Collection: Toy',
                                        'In Collection: Other')),
         "In Collection 'Other'"),
        (dict(metafile=METAFILE.replace('Models:\n',
                                        'Models:\n  - Name: toy_model\n'
                                        '    Config: configs/toy/'
                                        'toy_config.py\n')),
         'Name also used'),
    ])
def test_checker_reports_problems(tmp_path, change, needle):
    make_repo(tmp_path, **change)
    problems, _ = checker.check_model_index(str(tmp_path))
    assert any(needle in p for p in problems), problems


def test_checker_goes_on_after_a_missing_value(tmp_path):
    # A value missing from the README in one model must not stop the check
    # of the next model (it once crashed with a TypeError there).
    second = METAFILE.split('Models:\n')[1].replace('toy_model',
                                                    'toy_model_b')
    metafile = METAFILE.replace('7.10', '7.104') + second
    make_repo(tmp_path, metafile=metafile)
    problems, summary = checker.check_model_index(str(tmp_path))
    assert problems == ["configs/toy/metafile.yml: model 'toy_model': TNO "
                        'EN = 7.104 does not appear in '
                        'configs/toy/README.md']
    assert summary['models'] == 2


def test_checker_finds_unimported_metafiles(tmp_path):
    make_repo(tmp_path)
    (tmp_path / 'configs' / 'extra').mkdir()
    (tmp_path / 'configs' / 'extra' / 'metafile.yml').write_text(
        'Models: []\n')
    problems, _ = checker.check_model_index(str(tmp_path))
    assert problems == [
        'configs/extra/metafile.yml is not imported by model-index.yml'
    ]


def test_checker_reads_the_readme_of_the_config_folder(tmp_path):
    # A model whose config lives in another folder (e.g. configs/fusion):
    # a value missing from the metafile's README may be in that folder's.
    metafile = METAFILE.replace('configs/toy/toy_config.py',
                                'configs/fusion/toy_tno.py')
    make_repo(tmp_path, metafile=metafile,
              readme=README.replace('| 2.345 |', '| - |'))
    (tmp_path / 'configs' / 'fusion').mkdir()
    (tmp_path / 'configs' / 'fusion' / 'toy_tno.py').write_text('x = 1\n')
    problems, _ = checker.check_model_index(str(tmp_path))
    assert len(problems) == 1 and 'TNO MI = 2.345' in problems[0], problems
    assert 'configs/fusion/README.md' in problems[0]
    (tmp_path / 'configs' / 'fusion' / 'README.md').write_text(
        '| TNO | MI 2.345 |\n')
    problems, _ = checker.check_model_index(str(tmp_path))
    assert problems == []


def test_checker_needs_the_readme(tmp_path):
    make_repo(tmp_path)
    (tmp_path / 'configs' / 'toy' / 'README.md').unlink()
    problems, _ = checker.check_model_index(str(tmp_path))
    assert len(problems) == 4  # one per metric value
    assert all('README.md does not exist' in p for p in problems)
