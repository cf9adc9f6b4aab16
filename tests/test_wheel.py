"""The wheel works on its own: built with `python -m build`, installed into a fresh virtual environment, run outside
the repository, `sketchcolor demo` colours the bundled example with the weights the wheel carries.

The fresh environment reuses this one's installed dependencies (torch & co.) through a .pth file, written only after the
wheel is installed, so pip never sees this environment's editable install of the repository; .pth lines add plain
folders, so the editable install's import hook (itself a .pth in this site-packages) is not run there either.
"""
import hashlib, os, subprocess, sys, sysconfig, tarfile, zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = {n: ROOT / 'weights' / n for n in ('colorizer.safetensors', 'thesis_colorizer.safetensors')}   # both shipped colorizers


def _run(cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f'{" ".join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}'
    return r


@pytest.fixture(scope='module')
def dist(tmp_path_factory):
    "sdist and wheel from `python -m build` (no isolation: the build tools of this environment, no download)."
    out = tmp_path_factory.mktemp('dist')
    _run([sys.executable, '-m', 'build', '--no-isolation', '--outdir', out, ROOT], cwd=ROOT, timeout=600)
    wheels, sdists = list(out.glob('sketchcolor-*.whl')), list(out.glob('sketchcolor-*.tar.gz'))
    assert len(wheels) == 1 and len(sdists) == 1, list(out.iterdir())
    return wheels[0], sdists[0]


def _sha(data: bytes) -> str: return hashlib.sha256(data).hexdigest()


def test_wheel_and_sdist_carry_the_default_weights(dist):
    wheel, sdist = dist
    want = {n: _sha(p.read_bytes()) for n, p in WEIGHTS.items()}
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        for n in WEIGHTS: assert _sha(z.read(f'sketchcolor/weights/{n}')) == want[n], n
        assert {'sketchcolor/assets/example_sketch.png', 'sketchcolor/assets/example_hint.png'} <= set(names)
        assert not any(n.startswith(('nbs/', 'tests/', 'weights/')) for n in names), names
    with tarfile.open(sdist) as t:
        for n in WEIGHTS:
            member = next(m for m in t.getmembers() if m.name.endswith(f'/weights/{n}'))
            assert _sha(t.extractfile(member).read()) == want[n], n
    print(f'wheel {wheel.name}: {wheel.stat().st_size / 2**20:.1f} MiB; sdist {sdist.stat().st_size / 2**20:.1f} MiB')


def test_fresh_venv_outside_the_repo_runs_the_demo(dist, tmp_path):
    wheel, _ = dist
    venv, work = tmp_path / 'venv', tmp_path / 'elsewhere'   # `elsewhere`: outside the repository, empty
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'SKETCHCOLOR_WEIGHTS', 'VIRTUAL_ENV')}
    env['PATH'] = f'{venv / "bin"}{os.pathsep}{env.get("PATH", "")}'
    _run([sys.executable, '-m', 'venv', '--without-pip', venv], timeout=120)
    py = venv / 'bin' / 'python'
    # pip (from this environment) installs into the new one, which as yet sees nothing but the standard library;
    # --ignore-installed: whatever it might see, it installs the wheel and uninstalls nothing
    _run([sys.executable, '-m', 'pip', '--python', py, 'install', '--no-deps', '--no-index', '--no-cache-dir',
          '--ignore-installed', '--disable-pip-version-check', '-q', wheel], cwd=work, env=env, timeout=300)
    site = Path(_run([py, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], env=env).stdout.strip())
    assert (site / 'sketchcolor' / 'weights' / 'colorizer.safetensors').is_file(), 'the wheel was not installed'
    (site / '_reuse_dependencies.pth').write_text('\n'.join(
        dict.fromkeys([sysconfig.get_path('purelib'), sysconfig.get_path('platlib')])) + '\n')
    where = _run([py, '-c', 'import sketchcolor, sketchcolor.inference as i; '
                  'print(sketchcolor.__file__); print(i.find_weights())'], cwd=work, env=env, timeout=300)
    pkg_file, weights = where.stdout.split()[-2:]
    assert Path(pkg_file).is_relative_to(site), f'sketchcolor imported from {pkg_file}, not from the wheel'
    assert Path(weights).is_relative_to(site) and not Path(weights).is_relative_to(ROOT), weights
    _run([venv / 'bin' / 'sketchcolor', 'demo', '--device', 'cpu', '--model', 'thesis', '-o', 'thesis.png'], cwd=work, env=env, timeout=600)
    assert (work / 'thesis.png').is_file()                       # the thesis' model travels with the wheel too
    (work / 'thesis.png').unlink()
    r = _run([venv / 'bin' / 'sketchcolor', 'demo', '--device', 'cpu'], cwd=work, env=env, timeout=600)
    out = work / 'sketchcolor_demo.png'
    assert out.is_file(), f'sketchcolor demo wrote no picture:\n{r.stdout}\n{r.stderr}'
    from PIL import Image
    with Image.open(out) as im:
        assert im.format == 'PNG' and im.width > 2 * im.height > 0, (im.format, im.size)   # three panels
        im.load()
        lo, hi = zip(*im.convert('RGB').getextrema())
        assert max(hi) - min(lo) > 100, 'the demo picture is flat'
    assert not any(p.name != 'sketchcolor_demo.png' for p in work.iterdir()), list(work.iterdir())
