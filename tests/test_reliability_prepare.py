"""Issue 21: `sketchcolor prepare openmoji|openclipart` killed with SIGKILL at random moments and rerun completes, with
the files an uninterrupted run writes; no truncated or half-written file is ever taken as done.

Local fixtures only (`nbs/fixtures/openmoji`, `nbs/fixtures/openclipart` as --src: no download). Each attempt is
forked by `tests/faults.py` and killed, with its worker processes, at a moment drawn at random (seed below): during
the write of an image (half of a write call done), with an image complete under its temporary name, while the
tables are written, or after a random delay.
"""
import json, os, random, subprocess, sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / 'nbs' / 'fixtures'
SEED = int(os.environ.get('SKETCHCOLOR_KILL_SEED', '21'))


def _env():
    return dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get('PYTHONPATH', ''))


def _om(dest): return ['prepare', 'openmoji', '--src', FIX / 'openmoji', '--dest', dest, '--size', '32']
def _oc(dest): return ['prepare', 'openclipart', '--src', FIX / 'openclipart', '--dest', dest, '--size', '32']


def kill_points(rng: random.Random) -> dict:
    "Kill moments for each dataset, drawn at random within their kind: first the writes (while there is still some to do), then two random times."
    t = lambda: dict(kind='time', after=round(rng.uniform(0.02, 0.6), 2))
    om = [dict(kind='write', name='*.png', count=rng.randint(1, 8), at='mid', nth=rng.choice([1, 2])),
          dict(kind='write', name='*.png', count=rng.randint(1, 3), at='rename'),
          dict(kind='write', name='items.csv', at=rng.choice(['mid', 'rename']), nth=1),
          dict(kind='write', name='failures.csv', at='rename'), t(), t()]
    oc = [dict(kind='write', name='measures.csv', at=rng.choice(['mid', 'rename']), nth=1),
          dict(kind='write', name='*.png', count=rng.randint(1, 2), at='mid', nth=rng.choice([1, 2])),
          dict(kind='write', name='*.png', count=1, at='rename'),
          dict(kind='write', name='clean.csv', at=rng.choice(['mid', 'rename']), nth=1), t(), t()]
    fresh = dict(openmoji=dict(kind='time', after=round(rng.uniform(0.03, 0.2), 2)),      # a fresh folder, killed while
                 openclipart=dict(kind='time', after=round(rng.uniform(0.3, 2.0), 2)))  # rendering / measuring
    return dict(openmoji=om, openclipart=oc, fresh=fresh)


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    t = tmp_path_factory.mktemp('prep')
    points = kill_points(random.Random(SEED))
    runs = [dict(argv=_om(t / 'om_ref'), log=str(t / 'om_ref.log')), dict(argv=_oc(t / 'oc_ref'), log=str(t / 'oc_ref.log'))]
    for name, argv in (('openmoji', _om(t / 'om')), ('openclipart', _oc(t / 'oc'))):
        runs += [dict(argv=argv, kill=p, log=str(t / f'{name}{i}.log')) for i, p in enumerate(points[name])]
        runs.append(dict(argv=argv, log=str(t / f'{name}_last.log')))
    for name, argv in (('openmoji', _om(t / 'om_t')), ('openclipart', _oc(t / 'oc_t'))):   # random time, then rerun
        runs += [dict(argv=argv, kill=points['fresh'][name], log=str(t / f'{name}_t.log')), dict(argv=argv, log=str(t / f'{name}_t2.log'))]
    for r in runs: r.update(argv=[str(a) for a in r['argv']], timeout=300)
    (t / 'plan.json').write_text(json.dumps({'import': ['sketchcolor.data', 'sketchcolor.cli', 'cairosvg'], 'runs': runs}))
    out = subprocess.run([sys.executable, str(ROOT / 'tests' / 'faults.py'), str(t / 'plan.json'), str(t / 'report.json')],
                         env=_env(), cwd=t, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    rep = json.loads((t / 'report.json').read_text())
    n, m = len(points['openmoji']), len(points['openclipart'])
    return dict(t=t, points=points, ref=rep[:2], om=rep[2:3 + n], oc=rep[3 + n:4 + n + m], fresh=rep[4 + n + m:])


def _pixels(p: Path) -> np.ndarray: return np.asarray(Image.open(p))


def _same_folder(a: Path, b: Path, tables: list[str]):
    "Folder `a` holds the same tables (byte for byte) and images (whole, same pixels) as `b`, and no temporary file."
    from sketchcolor.files import is_partial
    from sketchcolor.data import _is_complete_image
    for f in tables: assert (a / f).read_bytes() == (b / f).read_bytes(), f
    imgs = sorted(p.relative_to(b) for p in b.rglob('*.png'))
    assert imgs and imgs == sorted(p.relative_to(a) for p in a.rglob('*.png') if not is_partial(p.name))
    for p in imgs:
        assert _is_complete_image(a / p), p
        assert np.array_equal(_pixels(a / p), _pixels(b / p)), p
    assert [p for p in a.rglob('*') if is_partial(p.name)] == []


def _check_chain(w, name):
    t, rep = w['t'], w['om' if name == 'openmoji' else 'oc']
    print(f'{name} kill points (seed {SEED}):')
    for p, r in zip(w['points'][name], rep): print(f'  {json.dumps(p)} -> {r["status"]} after {r["seconds"]} s')
    assert all(r['status'] == 'exit' and r['code'] == 0 for r in w['ref'])
    targeted = [r for p, r in zip(w['points'][name], rep) if p['kind'] == 'write']
    assert all(r['status'] == 'killed' for r in targeted), targeted     # every write-moment was reached and killed
    assert sum(r['status'] == 'killed' for r in rep[:-1]) >= 4
    assert rep[-1]['status'] == 'exit' and rep[-1]['code'] == 0, (t / f'{name}_last.log').read_text()[-1500:]


def test_openmoji_killed_and_rerun(world):
    _check_chain(world, 'openmoji')
    t = world['t']
    _same_folder(t / 'om', t / 'om_ref', ['items.csv', 'failures.csv', 'ATTRIBUTION.md', 'LICENSE.txt'])


def test_openclipart_killed_and_rerun(world):
    _check_chain(world, 'openclipart')
    t = world['t']
    _same_folder(t / 'oc', t / 'oc_ref', ['clean.csv', 'measures.csv', 'ATTRIBUTION.md'])


def test_a_truncated_output_is_made_again(world, capsys):
    "Whatever truncated a file (a copy, a full disk, an older version), a rerun does not take it as done."
    from sketchcolor.data import cli_prepare
    t = world['t']
    victim = sorted((t / 'om' / 'line').glob('*.png'))[3]
    victim.write_bytes(victim.read_bytes()[:60])
    other = sorted((t / 'oc' / 'images').rglob('*.png'))[0]
    other.write_bytes(other.read_bytes()[:-30])
    assert cli_prepare([str(a) for a in _om(t / 'om')] [1:] + ['--workers', '0']) == 0
    assert cli_prepare([str(a) for a in _oc(t / 'oc')][1:] + ['--workers', '0']) == 0
    assert np.array_equal(_pixels(victim), _pixels(t / 'om_ref' / 'line' / victim.name))
    assert np.array_equal(_pixels(other), _pixels(t / 'oc_ref' / other.relative_to(t / 'oc')))


def test_killed_at_a_random_time_in_a_fresh_folder(world):
    "A fresh run killed at a random time (rendering or measuring), then rerun: the same files as the uninterrupted run."
    t, rep = world['t'], world['fresh']
    print('fresh folders, random kill times:', world['points']['fresh'], '->', [r['status'] for r in rep])
    assert rep[1]['status'] == 'exit' and rep[1]['code'] == 0 and rep[3]['status'] == 'exit' and rep[3]['code'] == 0
    _same_folder(t / 'om_t', t / 'om_ref', ['items.csv', 'failures.csv', 'ATTRIBUTION.md', 'LICENSE.txt'])
    _same_folder(t / 'oc_t', t / 'oc_ref', ['clean.csv', 'measures.csv', 'ATTRIBUTION.md'])
