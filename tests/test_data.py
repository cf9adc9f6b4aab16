"Tests of sketchcolor.data that a notebook cannot do well: the CLI, bad input, memory use, integration."
import gzip, json, tarfile, tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from sketchcolor.data import (cli_prepare, filter_danbooru, danbooru_keep, prepare_openmoji, openmoji_split,
                              clean_images, cache_dir)

FIX = Path(__file__).resolve().parents[1] / 'nbs' / 'fixtures'


def _records():
    out = []
    for line in (FIX / 'danbooru' / 'posts.jsonl').read_text().splitlines():
        try: r = json.loads(line)
        except json.JSONDecodeError: continue
        if isinstance(r, dict) and r.get('expect', '').startswith(('keep', 'rule')): out.append(r)
    return out


def test_danbooru_fixture_has_kept_and_rejected_case_per_rule():
    recs = _records()
    expects = {r['expect'] for r in recs}
    assert expects == {'keep', 'rule1', 'rule2', 'rule3', 'rule4', 'rule5'}
    for r in recs: assert danbooru_keep(r) == (r['expect'] == 'keep'), r['id']


def test_cli_prepare_danbooru(tmp_path, capsys):
    out = tmp_path / 'kept.csv'
    assert cli_prepare(['danbooru', str(FIX / 'danbooru' / 'posts.jsonl'), '--out', str(out)]) == 0
    kept = pd.read_csv(out)
    assert len(kept) == sum(r['expect'] == 'keep' for r in _records())
    assert '4 malformed' in capsys.readouterr().err


def test_cli_prepare_missing_file_is_one_line_error(tmp_path, capsys):
    assert cli_prepare(['danbooru', str(tmp_path / 'nope.jsonl'), '--out', str(tmp_path / 'o.csv')]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count('\n') == 0 and 'nope.jsonl' in err and 'Traceback' not in err
    assert not (tmp_path / 'o.csv').exists()


def test_cli_prepare_bad_openmoji_tarball(tmp_path, capsys):
    bad = tmp_path / 'openmoji.tgz'
    bad.write_bytes(b'this is not a tarball')
    assert cli_prepare(['openmoji', '--src', str(bad), '--dest', str(tmp_path / 'om')]) == 1
    err = capsys.readouterr().err
    assert 'openmoji.tgz' in err and 'Traceback' not in err


def test_cli_prepare_openclipart_on_fixtures(tmp_path, capsys):
    assert cli_prepare(['openclipart', '--src', str(FIX / 'openclipart'), '--dest', str(tmp_path / 'oc'), '--size', '32']) == 0
    df = pd.read_csv(tmp_path / 'oc' / 'clean.csv', keep_default_na=False)
    expected = pd.read_csv(FIX / 'openclipart' / 'expected.csv', keep_default_na=False)
    assert (df.keep.astype(str) == 'True').sum() == (expected.reason == '').sum()
    assert 'kept' in capsys.readouterr().out


def test_clean_images_bad_src(tmp_path):
    with pytest.raises(FileNotFoundError, match='not a folder'): clean_images(tmp_path / 'missing', tmp_path / 'out')


def test_filter_danbooru_streams_in_constant_memory(tmp_path):
    rec = _records()[0]
    big = tmp_path / 'posts.json.gz'
    n = 4_000
    with gzip.open(big, 'wt') as f:
        for i in range(n): f.write(json.dumps({**rec, 'id': str(i)}) + '\n')
    tracemalloc.start()
    kept = filter_danbooru([big], tmp_path / 'kept.csv', progress=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert kept == n
    size = sum(len(json.dumps({**rec, 'id': str(i)})) for i in range(10)) * n / 10
    assert peak < size / 4, f'peak {peak / 1e6:.1f} MB for {size / 1e6:.1f} MB of JSON'
    assert pd.read_csv(tmp_path / 'kept.csv').path.iloc[1234] == f"0234/1234.{rec['file_ext']}"


def test_prepare_openmoji_from_tarball_and_split(tmp_path):
    tgz = tmp_path / 'openmoji-17.0.0.tgz'
    with tarfile.open(tgz, 'w:gz') as tf: tf.add(FIX / 'openmoji', arcname='package')
    df = prepare_openmoji(tmp_path / 'om', size=32, src=tgz, progress=False)
    assert len(df) == 20 and len(df.attrs['failures']) == 0
    tr, va = openmoji_split(tmp_path / 'om' / 'items.csv', valid_pct=0.5, seed=1)
    assert len(tr) + len(va) == 20 and not set(tr.base) & set(va.base)
    assert tr.hexcode.map(type).eq(str).all()


def test_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv('SKETCHCOLOR_CACHE', str(tmp_path))
    assert cache_dir('openclipart') == tmp_path / 'openclipart'


def test_importing_data_keeps_pil_bomb_limit():
    "The data chapter lifts PIL's decompression-bomb limit only inside its own reads, never for the process."
    import subprocess, sys
    code = ("from PIL import Image; d = Image.MAX_IMAGE_PIXELS; import sketchcolor.data, sketchcolor.train; "
            "assert Image.MAX_IMAGE_PIXELS == d, Image.MAX_IMAGE_PIXELS")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-500:]
