"""average_checkpoints.py: the float mean of several checkpoints' weights."""

import pytest
import torch
from tool_loader import load_tool


@pytest.fixture(scope='module')
def soup():
    return load_tool('model_converters', 'average_checkpoints.py')


def test_mean_of_fp16_and_fp32_files(soup, tmp_path, capsys):
    a = {'w': torch.tensor([1.0, 2.0]).half(), 'n': torch.tensor(3)}
    b = {'w': torch.tensor([3.0, 6.0]), 'n': torch.tensor(5)}
    torch.save(dict(state_dict=a, meta={}), tmp_path / 'a.pth')
    torch.save(dict(state_dict=b, optimizer={}), tmp_path / 'b.pth')
    out = tmp_path / 'soup.pth'
    soup.main([str(tmp_path / 'a.pth'), str(tmp_path / 'b.pth'),
               '-o', str(out)])
    loaded = torch.load(out, weights_only=True)
    assert loaded['state_dict']['w'].dtype == torch.float32
    assert loaded['state_dict']['w'].tolist() == [2.0, 4.0]
    assert loaded['state_dict']['n'].item() == 3  # integers: the first file
    assert loaded['meta']['averaged_from'] == ['a.pth', 'b.pth']

    # an existing output is not overwritten
    with pytest.raises(SystemExit):
        soup.main([str(tmp_path / 'a.pth'), str(tmp_path / 'b.pth'),
                   '-o', str(out)])
    assert 'exists' in capsys.readouterr().err


def test_mismatched_files_are_refused(soup, tmp_path, capsys):
    torch.save({'state_dict': {'w': torch.zeros(2)}}, tmp_path / 'a.pth')
    torch.save({'state_dict': {'w': torch.zeros(3)}}, tmp_path / 'b.pth')
    torch.save({'state_dict': {'v': torch.zeros(2)}}, tmp_path / 'c.pth')
    torch.save({'meta': {}}, tmp_path / 'd.pth')
    for other, words in [('b.pth', 'has shape (3,)'), ('c.pth', 'keys differ'),
                         ('missing.pth', 'not found'),
                         ('d.pth', "d.pth: state_dict entry 'meta' is not "
                                   'a tensor')]:
        with pytest.raises(SystemExit):
            soup.main([str(tmp_path / 'a.pth'), str(tmp_path / other),
                       '-o', str(tmp_path / 'soup.pth')])
        assert words in capsys.readouterr().err
    with pytest.raises(SystemExit):
        soup.main([str(tmp_path / 'a.pth'), '-o', str(tmp_path / 's.pth')])
    assert 'at least two' in capsys.readouterr().err
