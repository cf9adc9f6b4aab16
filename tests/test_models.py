"""Model files on disk: round trip, and bad files (foreign, corrupted, truncated, missing, wrong class)."""
import json
import pytest
import torch
from safetensors.torch import save_file

torch.set_num_threads(1)
from sketchcolor.models import Colorizer, Discriminator, ModelFileError, load_model, read_model_info, save_model


@pytest.fixture(scope='module')
def saved(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp('m') / 'tiny.safetensors'
    model = Colorizer(width=0.125).eval()
    save_model(model, path)
    return model, path


def test_round_trip_bit_identical(saved):
    model, path = saved
    back = load_model(path, expected='Colorizer')
    x, h = torch.rand(1, 1, 32, 32), torch.rand(1, 3, 40, 40)
    with torch.no_grad():
        a, b = model(x, h), back(x, h)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert read_model_info(path) == {'class': 'Colorizer', 'config': model.config, 'format': 1}


def test_load_never_unpickles(saved, monkeypatch):
    import pickle
    def boom(*a, **k): raise AssertionError('pickle used')
    for name in ('load', 'loads', 'Unpickler'): monkeypatch.setattr(pickle, name, boom)
    monkeypatch.setattr(torch, 'load', boom)
    load_model(saved[1])


@pytest.mark.parametrize('kind, message', [
    ('truncated', 'not a valid safetensors'), ('empty', 'not a valid safetensors'), ('text', 'not a valid safetensors'),
    ('foreign', 'without sketchcolor metadata'), ('badjson', 'unreadable sketchcolor metadata'),
    ('mismatch', 'do not match'), ('unknown', 'unknown model class')])
def test_bad_files(saved, tmp_path, kind, message):
    good = saved[1].read_bytes()
    bad = tmp_path / f'{kind}.safetensors'
    if kind == 'truncated': bad.write_bytes(good[:len(good) - 1000])
    elif kind == 'empty': bad.write_bytes(b'')
    elif kind == 'text': bad.write_text('hello, I am not a model\n' * 20)
    elif kind == 'foreign': save_file({'w': torch.zeros(2)}, str(bad))
    elif kind == 'badjson': save_file({'w': torch.zeros(2)}, str(bad), metadata={'sketchcolor': '{not json'})
    elif kind == 'mismatch':
        save_file({'w': torch.zeros(2)}, str(bad), metadata={'sketchcolor': json.dumps({'class': 'Discriminator', 'config': {}})})
    elif kind == 'unknown':
        save_file({'w': torch.zeros(2)}, str(bad), metadata={'sketchcolor': json.dumps({'class': 'Nope', 'config': {}})})
    with pytest.raises(ModelFileError) as e:
        load_model(bad)
    assert message in str(e.value) and bad.name in str(e.value) and '\n' not in str(e.value)


def test_missing_file_and_wrong_class(saved, tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.safetensors'):
        load_model(tmp_path / 'missing.safetensors')
    with pytest.raises(ModelFileError, match='holds a Colorizer, not a Discriminator'):
        load_model(saved[1], expected=Discriminator)


def test_save_is_atomic(tmp_path):
    save_model(Colorizer(width=0.125), tmp_path / 'a.safetensors')
    assert [p.name for p in tmp_path.iterdir()] == ['a.safetensors']
