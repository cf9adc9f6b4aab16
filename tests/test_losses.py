"""Checks the losses notebook can't make: XYV-VGG training from a plain script (as run on the GPU machine),
clip-art item tables and bad input."""
import shutil, subprocess, sys
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / 'nbs' / 'fixtures'


def _openmoji_dir(tmp: Path) -> Path:
    "A tiny rendered-OpenMoji folder (color/, line/, items.csv) from the committed fixtures, 3 fake subgroups."
    from sketchcolor.data import openmoji_items
    d = tmp / 'openmoji'
    for sub in ('color', 'line'): (d / sub).mkdir(parents=True)
    for p in (FIX / 'openmoji_png' / 'color').glob('*.png'):
        shutil.copy(p, d / 'color' / p.name)
        Image.open(p).convert('L').save(d / 'line' / p.name)
    items = openmoji_items(FIX / 'openmoji')
    items.assign(subgroups=[('a', 'b', 'c')[i % 3] for i in range(len(items))]).to_csv(d / 'items.csv', index=False)
    return d


def test_train_from_plain_script(tmp_path):
    "The GPU command form: `python -c 'from sketchcolor.losses import train_xyv_vgg; ...'`, no notebook."
    d = _openmoji_dir(tmp_path)
    out = tmp_path / 'w' / 'vgg.safetensors'
    code = (f"from sketchcolor.losses import train_xyv_vgg; "
            f"train_xyv_vgg(data_dir={str(d)!r}, out={str(out)!r}, epochs=1, size=32, bs=4, valid_pct=0.3, "
            f"num_workers=0, progress=False)")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.exists() and out.with_suffix('.log.csv').exists()
    log = pd.read_csv(out.with_suffix('.log.csv'))
    assert list(log.columns[:4]) == ['epoch', 'train_loss', 'valid_loss', 'accuracy'] and len(log) == 1
    from sketchcolor.models import load_model
    assert type(load_model(out)).__name__ == 'XYVVGG'


def test_train_with_time_budget(tmp_path, capsys):
    "`minutes=` times a throwaway copy and picks the number of epochs itself."
    from sketchcolor.losses import train_xyv_vgg
    d = _openmoji_dir(tmp_path)
    learn = train_xyv_vgg(d, out=tmp_path / 'v.safetensors', minutes=0.05, size=32, bs=4, valid_pct=0.3,
                          num_workers=0, progress=False)
    out = capsys.readouterr().out
    assert 'timed' in out and 'epochs in 0.05 min' in out
    n = int(out.split('epochs in 0.05 min')[0].split('->')[-1])
    assert n >= 1 and len(pd.read_csv(tmp_path / 'v.log.csv')) == n


def test_clipart_items(tmp_path):
    from sketchcolor.losses import xyv_vgg_items
    d = _openmoji_dir(tmp_path)
    ca = tmp_path / 'clipart'
    (ca / 'images' / 'animals' / 'birds').mkdir(parents=True)
    src = next((FIX / 'openmoji_png' / 'color').glob('*.png'))
    rows = []
    for i in range(6):
        f = f'images/animals/birds/b{i}.png'
        shutil.copy(src, ca / f)
        rows.append(dict(path=f'animals/birds/b{i}.svg', keep=str(i < 4), category='animals/birds', file=f))
    rows.append(dict(path='root.png', keep='True', category='', file='images/root.png'))
    pd.DataFrame(rows).to_csv(ca / 'clean.csv', index=False)
    items = xyv_vgg_items(d, ca / 'clean.csv', valid_pct=0.3)
    clip = items[items.source == 'clipart']
    assert len(clip) == 4 and set(clip.label) == {'clipart/animals'}
    assert all(Path(p).exists() for p in clip.path)


def test_bad_input(tmp_path):
    from sketchcolor.losses import xyv_vgg_items, colorizer_loss
    with pytest.raises(FileNotFoundError, match='items.csv'): xyv_vgg_items(tmp_path)
    d = _openmoji_dir(tmp_path)
    bad = tmp_path / 'bad.csv'
    pd.DataFrame(dict(file=['x.png'])).to_csv(bad, index=False)
    with pytest.raises(ValueError, match=r"bad.csv: missing column\(s\) \['category', 'path'\]"):
        xyv_vgg_items(d, bad)
    with pytest.raises(ValueError, match='out_space'): colorizer_loss('5.1', 'lab')
    with pytest.raises(ValueError, match="'5.1' or '5.2'"): colorizer_loss('5.4')
