"""Project-level checks that notebooks can't make: README commands == CI commands, package metadata."""
import configparser, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    "The fenced `sh` commands of README.md, in order."
    text = (ROOT / 'README.md').read_text()
    return [b.strip() for b in re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.S)]


def test_readme_has_install_and_test_commands():
    cmds = _readme_commands()
    assert any(c.startswith('pip install') for c in cmds), cmds
    assert any('nbdev_test' in c and 'pytest' in c for c in cmds), cmds


def test_ci_runs_exactly_the_readme_commands():
    ci = [l.strip() for l in (ROOT / '.ci' / 'run').read_text().splitlines()]
    cmds = _readme_commands()
    install = next(c for c in cmds if c.startswith('pip install'))
    test = next(c for c in cmds if 'nbdev_test' in c)
    assert install in ci, f'.ci/run does not run the README install command {install!r}'
    assert test in ci, f'.ci/run does not run the README test command {test!r}'


def test_version_matches_settings():
    cfg = configparser.ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini')
    import sketchcolor
    assert sketchcolor.__version__ == cfg['DEFAULT']['version']


def test_pinned_stack_in_settings():
    cfg = configparser.ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini')
    reqs = cfg['DEFAULT']['requirements'].split()
    for pin in ['torch==2.14.1', 'torchvision==0.29.1', 'fastai==2.8.7', 'nbdev==2.4.14', 'fastcore<2', 'execnb<0.2']:
        assert pin in reqs, pin


def test_colors_importable_without_notebook_work():
    "Importing the library does no work at import time (no plots, no files, fast)."
    out = subprocess.run([sys.executable, '-c', 'import sketchcolor.colors as c; print(len(c.__all__))'],
                         capture_output=True, text=True, cwd='/', timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 14


def test_readme_main_job_is_the_demo():
    assert 'sketchcolor demo' in _readme_commands()


def test_demo_with_bundled_weights_colours_the_example(tmp_path):
    "The README's main job, end to end: the bundled weights colour the bundled example (not blank, not grey)."
    import numpy as np
    from PIL import Image
    out = tmp_path / 'demo.png'
    r = subprocess.run([sys.executable, '-m', 'sketchcolor.cli', 'demo', '-o', str(out), '--device', 'cpu'],
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-800:]
    img = np.asarray(Image.open(out).convert('RGB'), dtype=np.float32) / 255
    result = img[:, -img.shape[0]:]                       # the last panel (panels are square)
    sat = (result.max(2) - result.min(2)) / np.maximum(result.max(2), 1e-6)
    assert (sat > 0.3).mean() > 0.2, f'result is mostly uncoloured: {(sat > 0.3).mean():.3f}'
