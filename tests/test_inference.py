"""Python API of sketchcolor.inference: sizes, crisp lines, determinism, input conversion, finding the weights.
Uses a tiny *randomly initialised* colorizer saved to a temporary file (not trained weights)."""
import os, shutil
import numpy as np
import pytest
import torch
from PIL import Image

torch.set_num_threads(1)
from sketchcolor.inference import (InputError, WeightsNotFoundError, colorize, colorize_batch, example_paths,
                                   find_weights, load_colorizer, read_image, read_sketch, weight_candidates)
from sketchcolor.models import Colorizer, save_model


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp('w') / 'tiny.safetensors'
    save_model(Colorizer(width=0.125).eval(), path)
    return path


class Flat(torch.nn.Module):
    "Stand-in colorizer painting one RGB colour everywhere."
    out_space = 'rgb'
    def __init__(self): super().__init__(); self.w = torch.nn.Parameter(torch.zeros(1))
    def forward(self, sketch, hint):
        b, _, h, w = sketch.shape
        return torch.tensor([0.2, 0.8, 0.4]).view(1, 3, 1, 1).expand(b, 3, h, w) + self.w, None


@pytest.mark.parametrize('w, h', [(1024, 768), (300, 500), (17, 33)])
def test_any_size_comes_back_at_its_size(tiny, w, h):
    sk = np.full((h, w), 255, np.uint8); sk[h // 2] = 0
    out = colorize(sk, example_paths()[1], model=load_colorizer(tiny), size=64)
    assert out.size == (w, h)


def test_lines_crisp_at_full_resolution():
    sk_path, hint = example_paths()
    sk = np.asarray(Image.open(sk_path).convert('L'), np.float32) / 255
    out = np.asarray(colorize(sk_path, hint, model=Flat(), size=64), np.float32) / 255
    assert np.abs(out - sk[..., None] * np.array([0.2, 0.8, 0.4])).max() <= 1 / 255 + 1e-6


def test_deterministic(tiny):
    sk, hint = example_paths()
    m = load_colorizer(tiny)
    assert np.array_equal(np.asarray(colorize(sk, hint, model=m, size=64)), np.asarray(colorize(sk, hint, model=m, size=64)))


def test_inputs_pil_array_path_agree(tiny):
    sk, hint = example_paths()
    m = load_colorizer(tiny)
    a = colorize(sk, hint, model=m, size=64)
    b = colorize(Image.open(sk), np.asarray(Image.open(hint)), model=m, size=64)
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_transparency_is_white_paper(tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint8); rgba[:4, :, 3] = 255
    Image.fromarray(rgba).save(tmp_path / 'a.png')
    s = read_sketch(tmp_path / 'a.png')[0, 0]
    assert (s[:4] == 0).all() and (s[4:] == 1).all()
    pal = Image.fromarray(np.full((8, 8), 7, np.uint8)).convert('P'); pal.info['transparency'] = 7
    pal.save(tmp_path / 'p.png', transparency=int(np.asarray(pal)[0, 0]))
    assert (read_sketch(tmp_path / 'p.png') == 1).all()


def test_sixteen_bit_and_cmyk(tmp_path):
    g = (np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000)
    Image.fromarray(g).save(tmp_path / 'g16.png')
    t = read_image(tmp_path / 'g16.png')[0, 0].numpy()
    assert np.allclose(t, g / 65535, atol=1e-6)
    Image.new('CMYK', (8, 8), (0, 0, 0, 0)).save(tmp_path / 'c.jpg')
    assert read_image(tmp_path / 'c.jpg').min() > 0.95           # no ink = white


def test_batch_matches_single_and_reports_bad_files(tiny, tmp_path):
    sk, hint = example_paths()
    (tmp_path / 'in').mkdir(); (tmp_path / 'out').mkdir()
    for i in range(3): Image.open(sk).resize((96, 64)).save(tmp_path / 'in' / f's{i}.png')
    (tmp_path / 'in' / 'bad.png').write_text('x')
    files = sorted((tmp_path / 'in').iterdir())
    m = load_colorizer(tiny)
    written, errors = colorize_batch(files, hint, tmp_path / 'out', model=m, size=64, batch_size=2, progress=False)
    assert len(written) == 3 and len(errors) == 1 and 'bad.png' in errors[0]
    single = np.asarray(colorize(tmp_path / 'in' / 's2.png', hint, model=m, size=64), np.int16)
    assert np.abs(np.asarray(Image.open(tmp_path / 'out' / 's2.png'), np.int16) - single).max() <= 1


def test_weights_resolution(tiny, monkeypatch, tmp_path):
    monkeypatch.delenv('SKETCHCOLOR_WEIGHTS', raising=False)
    assert find_weights(tiny) == tiny                                 # explicit path first
    monkeypatch.setenv('SKETCHCOLOR_WEIGHTS', str(tiny))
    assert find_weights() == tiny                                     # then the environment variable
    monkeypatch.setenv('SKETCHCOLOR_WEIGHTS', str(tmp_path / 'gone.safetensors'))
    with pytest.raises(WeightsNotFoundError, match='gone.safetensors'): find_weights()
    monkeypatch.delenv('SKETCHCOLOR_WEIGHTS')
    import sketchcolor.inference as inf
    placed = tmp_path / 'pkg' / 'colorizer.safetensors'; placed.parent.mkdir(); shutil.copy(tiny, placed)
    monkeypatch.setattr(inf, 'weight_candidates', lambda: [tmp_path / 'repo' / 'colorizer.safetensors', placed])
    assert find_weights() == placed                                   # then the default places, in order
    with pytest.raises(WeightsNotFoundError, match='thesis'): find_weights('thesis')  # a name looks for its own file
    shutil.copy(tiny, placed.with_name('thesis_colorizer.safetensors'))
    assert find_weights('thesis') == placed.with_name('thesis_colorizer.safetensors')
    monkeypatch.setattr(inf, 'weight_candidates', lambda: [tmp_path / 'a' / 'colorizer.safetensors'])
    with pytest.raises(WeightsNotFoundError) as e: find_weights()
    assert str(tmp_path / 'a' / 'colorizer.safetensors') in str(e.value) and 'sketchcolor train' in str(e.value) and '\n' not in str(e.value)


def test_default_candidates_are_repo_then_package():
    import sketchcolor
    pkg = os.path.dirname(os.path.abspath(sketchcolor.__file__))
    c = [str(p) for p in weight_candidates()]
    repo = os.path.dirname(pkg)
    expected = [os.path.join(repo, 'weights', 'colorizer.safetensors')] if os.path.isfile(os.path.join(repo, 'settings.ini')) else []
    assert c == expected + [os.path.join(pkg, 'weights', 'colorizer.safetensors')]
    assert os.path.isfile(os.path.join(repo, 'settings.ini')) == (len(c) == 2)


def test_bad_array_input():
    with pytest.raises(InputError, match='not an image'): read_image(np.zeros((4, 4, 5)))
    with pytest.raises(InputError, match='expected a path'): read_image(42)
