"""The `sketchcolor` command through a real subprocess: help, demo, colorize (single and folder mode) and every
bad-input case of issue 9: exit code, a single stderr line naming the file, no traceback, no partial output.

The weights are a tiny *randomly initialised* colorizer saved to a temporary file (not trained weights).
Subprocesses run concurrently in a module fixture (importing torch dominates their time); each case is its own test.
"""
import os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
BOMB = 'bomb.png'


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != 'SKETCHCOLOR_WEIGHTS'}
    env.update(OMP_NUM_THREADS='1', PYTHONPATH=str(ROOT) + os.pathsep + env.get('PYTHONPATH', ''), **extra)
    return env


def _run(args, cwd, env=None):
    r = subprocess.run([sys.executable, '-m', 'sketchcolor.cli', *map(str, args)], capture_output=True, text=True,
                       cwd=cwd, env=env or _env(), timeout=600)
    return r.returncode, r.stdout, r.stderr


def _unwritable_dir(tmp: Path) -> Path | None:
    "A folder this process cannot create files in (chmod 500, or /sys when running as root), or None."
    d = tmp / 'readonly'; d.mkdir(); d.chmod(0o500)
    try:
        (d / 'probe').touch(); (d / 'probe').unlink()
    except OSError:
        return d
    try:
        open('/sys/sketchcolor-probe', 'w').close()
    except OSError:
        return Path('/sys')
    return None


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    "Input files, a tiny random model file, and the results of every CLI call (run concurrently)."
    import torch
    from sketchcolor.models import Colorizer, Discriminator, save_model
    from sketchcolor.inference import fake_png_header
    t = tmp_path_factory.mktemp('cli')
    torch.manual_seed(0)
    save_model(Colorizer(width=0.125).eval(), t / 'tiny.safetensors')
    from sketchcolor.models import HintColorizer
    save_model(HintColorizer(width=0.125).eval(), t / 'tiny_hint.safetensors')
    save_model(Discriminator().eval(), t / 'disc.safetensors')
    (t / 'garbage.safetensors').write_bytes(b'\x00' * 100)
    rng = np.random.default_rng(0)
    sk = np.full((200, 300), 255, np.uint8); sk[50:52] = 0; sk[:, 100:102] = 0
    Image.fromarray(sk).save(t / 'sketch.png')
    Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(t / 'hint.png')
    Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)).save(t / 'big.png')
    dots = np.full((200, 300, 3), 255, np.uint8); dots[20:26, 20:26] = (220, 40, 40); dots[120:126, 200:206] = (40, 40, 220)
    Image.fromarray(dots).save(t / 'dots.png')
    (t / 'truncated.png').write_bytes((t / 'big.png').read_bytes()[:30000])
    (t / 'empty.png').write_bytes(b'')
    (t / 'text.png').write_text('this is not an image\n')
    (t / BOMB).write_bytes(fake_png_header(30000, 30000))
    # images in modes that must be converted, not rejected
    rgba = np.zeros((64, 96, 4), np.uint8); rgba[20:22, :, 3] = 255                 # black lines on transparency
    Image.fromarray(rgba).save(t / 'mode_rgba.png')
    Image.fromarray(np.stack([sk[:64, :96], sk[:64, :96]], 2)).convert('LA').save(t / 'mode_la.png')
    pal = Image.fromarray(sk[:64, :96]).convert('P'); pal.save(t / 'mode_p.png', transparency=0)
    Image.fromarray(sk[:64, :96].astype(np.uint16) * 257).save(t / 'mode_i16.png')
    Image.fromarray(np.stack([sk[:64, :96]] * 3, 2)).convert('CMYK').save(t / 'mode_cmyk.jpg')
    Image.fromarray(sk[:64, :96]).convert('1').save(t / 'mode_1.png')
    Image.fromarray(rng.integers(0, 255, (64, 96, 3), dtype=np.uint8)).save(t / 'mode_colour.png')
    Image.fromarray(np.full((768, 1024), 255, np.uint8)).save(t / 'wide_1024x768.png')
    Image.fromarray(np.full((500, 300), 255, np.uint8)).save(t / 'tall_300x500.png')
    # folder mode
    for d in ('sk', 'hints', 'emptydir'): (t / d).mkdir()
    for i in range(3): Image.fromarray(sk[:64, :64]).save(t / 'sk' / f'a{i}.png')
    for i in range(2): Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(t / 'hints' / f'a{i}.jpg')
    (t / 'out').mkdir()
    ro = _unwritable_dir(t)
    W = ('--weights', t / 'tiny.safetensors', '--size', '64')
    good = lambda name: (name, ['colorize', t / name, t / 'hint.png', '-o', t / 'out' / f'{name}.out.png', *W])
    calls = {
        'help': ['--help'],
        'demo': ['demo', '-o', t / 'out' / 'demo.png', *W],
        'single': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'single.png', *W],
        'folder_shared_hint': ['colorize', t / 'sk', t / 'hint.png', '-o', t / 'out_shared', *W],
        'folder_hint_folder': ['colorize', t / 'sk', t / 'hints', '-o', t / 'out_hints', *W],
        'folder_empty': ['colorize', t / 'emptydir', t / 'hint.png', '-o', t / 'out_e', *W],
        'missing_sketch': ['colorize', t / 'missing.png', t / 'hint.png', '-o', t / 'out' / 'x1.png', *W],
        'missing_hint': ['colorize', t / 'sketch.png', t / 'nohint.png', '-o', t / 'out' / 'x2.png', *W],
        'not_an_image': ['colorize', t / 'text.png', t / 'hint.png', '-o', t / 'out' / 'x3.png', *W],
        'truncated': ['colorize', t / 'truncated.png', t / 'hint.png', '-o', t / 'out' / 'x4.png', *W],
        'truncated_hint': ['colorize', t / 'sketch.png', t / 'truncated.png', '-o', t / 'out' / 'x5.png', *W],
        'zero_size': ['colorize', t / 'empty.png', t / 'hint.png', '-o', t / 'out' / 'x6.png', *W],
        'bomb': ['colorize', t / BOMB, t / 'hint.png', '-o', t / 'out' / 'x7.png', *W],
        'out_missing_folder': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'nodir' / 'x8.png', *W],
        'out_bad_extension': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x9.xyz', *W],
        'weights_missing': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x10.png',
                            '--weights', t / 'noweights.safetensors'],
        'weights_corrupted': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x11.png',
                              '--weights', t / 'garbage.safetensors'],
        'weights_other_model': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x12.png',
                                '--weights', t / 'disc.safetensors'],
        'bad_size': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x13.png',
                     '--weights', t / 'tiny.safetensors', '--size', '0'],
        'bad_device': ['colorize', t / 'sketch.png', t / 'hint.png', '-o', t / 'out' / 'x14.png', *W,
                       '--device', 'gpu9'],
        'unknown_command': ['paint'],
        'colorize_help': ['colorize', '--help'],
        'no_hint': ['colorize', t / 'sketch.png', '-o', t / 'out' / 'nohint.png', '--weights', t / 'tiny_hint.safetensors'],
        'dots_hint': ['colorize', t / 'sketch.png', t / 'dots.png', '-o', t / 'out' / 'dots.png', '--weights', t / 'tiny_hint.safetensors'],
        'thesis_model': ['colorize', t / 'sketch.png', t / 'dots.png', '-o', t / 'out' / 'thesis.png', '--model', 'thesis', '--size', '64'],
        'no_hint_folder': ['colorize', t / 'sk', '-o', t / 'out_nohint', '--weights', t / 'tiny_hint.safetensors'],
        **dict(good(n) for n in ('mode_rgba.png', 'mode_la.png', 'mode_p.png', 'mode_i16.png', 'mode_cmyk.jpg',
                                 'mode_1.png', 'mode_colour.png', 'wide_1024x768.png', 'tall_300x500.png')),
    }
    if ro is not None:
        calls['out_no_permission'] = ['colorize', t / 'sketch.png', t / 'hint.png', '-o', ro / 'x15.png', *W]
    with ThreadPoolExecutor(4) as pool:
        futures = {k: pool.submit(_run, v, t) for k, v in calls.items()}
        results = {k: f.result() for k, f in futures.items()}
    return t, ro, results


def test_help_lists_subcommands(world):
    code, out, err = world[2]['help']
    assert code == 0 and err == ''
    for name in ('colorize', 'demo', 'prepare', 'train', 'fid'): assert f'  {name} ' in out


def test_unknown_command(world):
    code, out, err = world[2]['unknown_command']
    assert code == 2 and err.count('\n') == 1 and 'paint' in err


def test_demo_writes_side_by_side(world):
    t, _, res = world
    code, out, err = res['demo']
    assert code == 0, err
    assert Image.open(t / 'out' / 'demo.png').size == (512 * 3 + 16, 512)


def test_single(world):
    t, _, res = world
    code, out, err = res['single']
    assert code == 0 and err == '', err
    assert Image.open(t / 'out' / 'single.png').size == (300, 200)


@pytest.mark.parametrize('name, size', [('wide_1024x768.png', (1024, 768)), ('tall_300x500.png', (300, 500))])
def test_any_size(world, name, size):
    t, _, res = world
    assert res[name][0] == 0, res[name][2]
    assert Image.open(t / 'out' / f'{name}.out.png').size == size


@pytest.mark.parametrize('name', ['mode_rgba.png', 'mode_la.png', 'mode_p.png', 'mode_i16.png', 'mode_cmyk.jpg',
                                  'mode_1.png', 'mode_colour.png'])
def test_modes_are_converted(world, name):
    t, _, res = world
    code, out, err = res[name]
    assert code == 0 and err == '', err
    src = Image.open(t / name)
    assert Image.open(t / 'out' / f'{name}.out.png').size == src.size


def test_transparent_sketch_lines_stay_black(world):
    "The RGBA sketch has black lines on transparency: its line pixels are black in the result (paper: see test_inference)."
    t, _, res = world
    out = np.asarray(Image.open(t / 'out' / 'mode_rgba.png.out.png').convert('L'))
    assert (out[20:22] == 0).all()
    line = np.asarray(Image.open(t / 'mode_rgba.png'))[..., 3] == 255
    assert (out[line] == 0).all()


def test_folder_mode(world):
    t, _, res = world
    code, out, err = res['folder_shared_hint']
    assert code == 0 and err == '', err
    assert sorted(p.name for p in (t / 'out_shared').iterdir()) == ['a0.png', 'a1.png', 'a2.png']
    code, out, err = res['folder_hint_folder']                     # a2 has no hint: reported, the others written
    assert code == 1 and err.count('\n') == 1 and 'a2.png' in err and 'no hint' in err
    assert sorted(p.name for p in (t / 'out_hints').iterdir()) == ['a0.png', 'a1.png']
    code, out, err = res['folder_empty']
    assert code == 1 and err.count('\n') == 1 and 'emptydir' in err and not (t / 'out_e').exists()


BAD = {  # case -> (text expected in the message, file name the message must contain)
    'missing_sketch': ('file not found', 'missing.png'),
    'missing_hint': ('file not found', 'nohint.png'),
    'not_an_image': ('not an image', 'text.png'),
    'truncated': ('truncated or corrupted', 'truncated.png'),
    'truncated_hint': ('truncated or corrupted', 'truncated.png'),
    'zero_size': ('empty file', 'empty.png'),
    'bomb': ('too large', BOMB),
    'out_missing_folder': ('does not exist', 'nodir'),
    'out_no_permission': ('cannot write', 'x15.png'),
    'out_bad_extension': ('unknown image format', 'x9.xyz'),
    'weights_missing': ('weights file not found', 'noweights.safetensors'),
    'weights_corrupted': ('not a valid safetensors', 'garbage.safetensors'),
    'weights_other_model': ('holds a Discriminator', 'disc.safetensors'),
    'bad_size': ('size must be', '0'),
    'bad_device': ('unknown device', 'gpu9'),
}


@pytest.mark.parametrize('case', list(BAD))
def test_bad_input(world, case):
    t, ro, res = world
    if case == 'out_no_permission' and ro is None: pytest.skip('no unwritable folder available (root without /sys)')
    code, out, err = res[case]
    msg, fname = BAD[case]
    assert code != 0
    assert err.count('\n') == 1 and err.endswith('\n'), err            # exactly one line
    assert 'Traceback' not in err and msg in err and fname in err, err
    assert err.startswith('sketchcolor colorize: error: ')
    written = [p.name for p in (t / 'out').iterdir()]
    assert not any(n.startswith('x') and n[1:].split('.')[0].isdigit() for n in written), written   # no output
    assert not any(n.startswith('.') for n in written), written                                     # no temp files
    assert not (t / 'nodir').exists()


def test_no_weights_anywhere(monkeypatch, capfd, tmp_path):
    "An install without weights (none at any default place, no env var): one clear line, exit 1, nothing written."
    from sketchcolor import cli, inference
    monkeypatch.delenv(inference.WEIGHTS_ENV, raising=False)
    monkeypatch.setattr(inference, 'weight_candidates', lambda: [tmp_path / 'weights' / inference.WEIGHTS_NAME])
    out = tmp_path / 'noweights_demo.png'
    code = cli.main(['demo', '-o', str(out)])
    err = capfd.readouterr().err
    assert code == 1 and err.count('\n') == 1 and 'no colorizer weights found' in err and 'weights' in err, err
    assert 'Traceback' not in err and not out.exists()


def test_missing_subcommand_is_explained(monkeypatch, capfd):
    "A subcommand whose module or function does not exist yet says so in one line (exit 2)."
    from sketchcolor import cli
    monkeypatch.setitem(cli.COMMANDS, 'ghost', ('sketchcolor.ghost', 'cli_ghost', 'not written yet'))
    monkeypatch.setitem(cli.COMMANDS, 'nofunc', ('sketchcolor.colors', 'cli_nofunc', 'no entry point'))
    for name, msg in [('ghost', 'does not exist yet'), ('nofunc', 'has no cli_nofunc')]:
        assert cli.main([name]) == 2
        err = capfd.readouterr().err
        assert err.count('\n') == 1 and msg in err and name in err


def test_every_subcommand_has_help():
    "Each registered subcommand that exists answers --help with exit 0 (in-process, through the dispatcher)."
    import contextlib, io
    from sketchcolor import cli
    for name in cli.COMMANDS:
        fn = cli._load_command(name)
        if isinstance(fn, str): continue
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert cli.main([name, '--help']) == 0, name
        assert f'sketchcolor {name}' in out.getvalue(), name


def test_every_hint_kind(world):
    "Issue 16: no hint (automatic colouring, single and folder mode), dots on white, and the thesis' model by name."
    t, _, res = world
    for case, out in [('no_hint', 'nohint.png'), ('dots_hint', 'dots.png'), ('thesis_model', 'thesis.png')]:
        code, _, err = res[case]
        assert code == 0 and err == '', (case, err)
        assert Image.open(t / 'out' / out).size == (300, 200), case
    assert not np.array_equal(np.asarray(Image.open(t / 'out' / 'nohint.png')), np.asarray(Image.open(t / 'out' / 'dots.png')))
    code, out, err = res['no_hint_folder']
    assert code == 0 and sorted(p.name for p in (t / 'out_nohint').iterdir()) == ['a0.png', 'a1.png', 'a2.png'], (out, err)


def test_colorize_help_names_hint_kinds_and_models(world):
    code, out, err = world[2]['colorize_help']
    assert code == 0
    for words in ('no hint', 'dots', '--model', 'thesis', '--hint-mode'): assert words in out, words
