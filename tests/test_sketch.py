"Integration and bad-input tests for sketchcolor.sketch (the notebook covers the unit tests)."
import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from sketchcolor.sketch import (augment_sketch, combine, default_sketch, line_f1, module_extractor,
                                synthesize_sketch, xdog, DEFAULT_SKETCH)

FIX = Path(__file__).parent.parent / 'nbs' / 'fixtures' / 'openmoji'


def render(path, size=256):
    cairosvg = pytest.importorskip('cairosvg')
    im = Image.open(io.BytesIO(cairosvg.svg2png(url=str(path), output_width=size, output_height=size))).convert('RGBA')
    im = Image.alpha_composite(Image.new('RGBA', im.size, 'white'), im).convert('RGB')
    return torch.from_numpy(np.array(im)).permute(2, 0, 1).float() / 255


@pytest.fixture(scope='module')
def pairs():
    names = sorted(p.stem for p in (FIX / 'color' / 'svg').glob('*.svg'))[:8]
    rgb = torch.stack([render(FIX / 'color' / 'svg' / f'{n}.svg') for n in names])
    line = torch.stack([render(FIX / 'black' / 'svg' / f'{n}.svg') for n in names]).mean(1, keepdim=True)
    return rgb, line


def test_default_matches_real_line_art(pairs):
    rgb, line = pairs
    p, r, f1 = line_f1(synthesize_sketch(rgb), line, tol=2)
    assert f1.mean() >= 0.9, f1
    assert DEFAULT_SKETCH['method'] == 'xdog'


def test_pipeline_shapes_and_range(pairs):
    rgb, _ = pairs
    sk = synthesize_sketch(rgb)
    aug = augment_sketch(sk, 0, p=1.0)
    assert aug.shape == sk.shape == (len(rgb), 1, 256, 256)
    assert 0 <= aug.min() and aug.max() <= 1
    assert torch.equal(augment_sketch(sk, 7), augment_sketch(sk, 7))


@pytest.mark.parametrize('bad, message', [
    (torch.rand(2, 3, 8), '(B, 3, H, W)'),
    (torch.rand(2, 1, 8, 8), '(B, 3, H, W)'),
    ((torch.rand(2, 3, 8, 8) * 255).byte(), 'floating'),
    (np.zeros((2, 3, 8, 8), np.float32), 'torch.Tensor'),
])
def test_synthesize_bad_input(bad, message):
    with pytest.raises((TypeError, ValueError), match=message.replace('(', r'\(').replace(')', r'\)')):
        synthesize_sketch(bad)


def test_bad_methods_and_args():
    x = torch.rand(2, 3, 16, 16)
    with pytest.raises(ValueError, match='unknown method'): synthesize_sketch(x, 'anime2sketch')
    with pytest.raises(TypeError, match='must be a name'): synthesize_sketch(x, 3)
    with pytest.raises(ValueError, match='returned'): synthesize_sketch(x, lambda t: t[:, 0])
    with pytest.raises(ValueError, match='shapes differ'): line_f1(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 4, 5))
    with pytest.raises(ValueError, match='weights'): combine(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2), weights=[1])
    with pytest.raises(TypeError, match='generator'): augment_sketch(torch.ones(1, 1, 8, 8), generator=1.5)


def test_module_extractor_restores_training_mode():
    net = torch.nn.Conv2d(3, 1, 1)
    net.train()
    out = synthesize_sketch(torch.rand(2, 3, 16, 16), module_extractor(net, size=32))
    assert out.shape == (2, 1, 16, 16) and net.training


@pytest.mark.skipif(not torch.cuda.is_available(), reason='no GPU')
def test_cuda(pairs):
    rgb, _ = pairs
    cpu = default_sketch(rgb[:2])
    gpu = default_sketch(rgb[:2].cuda())
    assert gpu.is_cuda and torch.allclose(gpu.cpu(), cpu, atol=1e-4)
    g = torch.Generator(device='cuda').manual_seed(0)
    assert augment_sketch(gpu, g).is_cuda
    assert xdog(rgb[:2].cuda()).is_cuda
