"""Issue 21: a bad-input matrix for `sketchcolor colorize` (the command and the Python API), `load_model` on hostile
files, file modes of what is written, and byte-identical results across runs and processes.

Every kind either gives its result (exit 0, an image of the right size, mode 0644 under umask 022) or a one-line
error naming the file (exit != 0, no traceback, no output file, no temporary file left). The command runs in
children forked by `tests/faults.py` (the real `sketchcolor.cli.main`, torch imported once). The tests run as root
here, and root reads a chmod-000 file and writes into a chmod-500 folder; those two kinds run the command under
`setpriv --bounding-set=-dac_override,-dac_read_search`: root without the capabilities that bypass file modes.
"""
import errno, io, json, os, shutil, stat, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PREFIX = 'sketchcolor colorize: error: '


def _env():
    return dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get('PYTHONPATH', ''))


def _no_dac() -> list[str] | None:
    "A command prefix that takes away root's power to ignore file modes, [] when not root, None if impossible here."
    if os.geteuid() != 0: return []
    cmd = ['setpriv', '--bounding-set=-dac_override,-dac_read_search']
    try: ok = subprocess.run(cmd + ['true'], capture_output=True, timeout=30).returncode == 0
    except (FileNotFoundError, subprocess.TimeoutExpired): ok = False
    return cmd if ok else None


def make_inputs(d: Path) -> dict:
    "Write one file of each kind into `d`; returns {kind: path}."
    rng = np.random.default_rng(0)
    sk = np.full((48, 64), 255, np.uint8); sk[10:12] = 0; sk[:, 30:32] = 0
    p = {}
    def save(name, img, **kw): img.save(d / name, **kw); p[name.split('.')[0]] = d / name
    save('png16.png', Image.fromarray(sk.astype(np.uint16) * 257))
    save('cmyk.jpg', Image.fromarray(np.stack([sk] * 3, 2)).convert('CMYK'))
    frames = [Image.fromarray(np.stack([sk] * 3, 2)), Image.fromarray(np.stack([255 - sk] * 3, 2))]
    frames[0].save(d / 'animated.gif', save_all=True, append_images=frames[1:], duration=100, loop=0); p['animated'] = d / 'animated.gif'
    save('one.png', Image.new('L', (1, 1), 0))
    save('long.png', Image.fromarray(np.full((3, 20000), 255, np.uint8)))
    exif = Image.Exif(); exif[0x0112] = 6                                       # orientation: rotate 90 degrees
    save('exif.jpg', Image.fromarray(np.stack([sk] * 3, 2)), exif=exif.tobytes())
    pal = Image.fromarray(sk).convert('P'); save('palette.png', pal, transparency=0)
    save('la.png', Image.fromarray(np.stack([sk, 255 - sk], 2), 'LA'))
    save('float.tif', Image.fromarray(sk.astype(np.float32) / 255, 'F'))
    nan = sk.astype(np.float32) / 255; nan[0, :5] = np.nan
    save('float_nan.tif', Image.fromarray(nan, 'F'))
    save('webp.webp', Image.fromarray(np.stack([sk] * 3, 2)))
    save('ok.png', Image.fromarray(sk))
    Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(d / 'hint.png'); p['hint'] = d / 'hint.png'
    big = Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)); big.save(d / 'full.png')
    (d / 'truncated.png').write_bytes((d / 'full.png').read_bytes()[:2000]); p['truncated'] = d / 'truncated.png'
    (d / 'binary.jpg').write_bytes(bytes(rng.integers(0, 256, 4000, dtype=np.uint8))); p['binary'] = d / 'binary.jpg'
    os.symlink(d / 'nowhere.png', d / 'dangling.png'); p['dangling'] = d / 'dangling.png'
    (d / 'afolder.png').mkdir(); p['afolder'] = d / 'afolder.png'
    (d / 'locked.png').write_bytes((d / 'ok.png').read_bytes()); (d / 'locked.png').chmod(0); p['locked'] = d / 'locked.png'
    (d / 'empty.png').write_bytes(b''); p['empty'] = d / 'empty.png'
    from sketchcolor.inference import fake_png_header
    (d / 'bomb.png').write_bytes(fake_png_header(40000, 40000)); p['bomb'] = d / 'bomb.png'
    (d / 'text.png').write_text('just some words\n'); p['text'] = d / 'text.png'
    os.mkfifo(d / 'fifo.png'); p['fifo'] = d / 'fifo.png'
    (d / 'ro').mkdir(); (d / 'ro').chmod(0o555); p['ro'] = d / 'ro'
    return p


# kind -> (sketch, hint, output name or None for 'out/<kind>.png', expected): expected is ('ok', (w, h)) or
# ('error', text in the message, file name the message must contain)
CASES = {
    'png16':        ('png16', 'hint', None, ('ok', (64, 48))),
    'cmyk_jpeg':    ('cmyk', 'hint', None, ('ok', (64, 48))),
    'animated_gif': ('animated', 'hint', None, ('ok', (64, 48))),
    '1x1':          ('one', 'hint', None, ('ok', (1, 1))),
    '20000x3':      ('long', 'hint', None, ('ok', (20000, 3))),
    'exif_rotated': ('exif', 'hint', None, ('ok', (48, 64))),
    'palette_transparency': ('palette', 'hint', None, ('ok', (64, 48))),
    'la':           ('la', 'hint', None, ('ok', (64, 48))),
    'float32_tiff': ('float', 'hint', None, ('ok', (64, 48))),
    'float32_tiff_nan': ('float_nan', 'hint', None, ('ok', (64, 48))),
    'webp':         ('webp', 'hint', None, ('ok', (64, 48))),
    'hint_webp':    ('ok', 'webp', None, ('ok', (64, 48))),
    'truncated':    ('truncated', 'hint', None, ('error', 'truncated or corrupted', 'truncated.png')),
    'non_image':    ('binary', 'hint', None, ('error', 'not an image', 'binary.jpg')),
    'text_as_png':  ('text', 'hint', None, ('error', 'not an image', 'text.png')),
    'empty':        ('empty', 'hint', None, ('error', 'empty file', 'empty.png')),
    'bomb':         ('bomb', 'hint', None, ('error', 'too large', 'bomb.png')),
    'dangling_symlink': ('dangling', 'hint', None, ('error', 'broken symbolic link', 'dangling.png')),
    'folder_as_hint': ('ok', 'afolder', None, ('error', 'is a folder', 'afolder.png')),
    'fifo':         ('ok', 'fifo', None, ('error', 'not a regular file', 'fifo.png')),
    'missing':      ('nothere', 'hint', None, ('error', 'file not found', 'nothere.png')),
    'unreadable':   ('locked', 'hint', None, ('error', 'permission denied', 'locked.png')),
    'same_as_sketch': ('ok', 'hint', 'ok.png', ('error', 'is also the sketch', 'ok.png')),
    'same_as_hint': ('ok', 'hint', 'hint.png', ('error', 'is also the hint', 'hint.png')),
    'readonly_folder': ('ok', 'hint', 'ro/x.png', ('error', 'cannot write', 'x.png')),
    'unknown_format': ('ok', 'hint', 'out/x.xyz', ('error', 'unknown image format', 'x.xyz')),
    'enospc':       ('ok', 'hint', None, ('error', 'No space left on device', 'enospc.png')),
}
NEEDS_NO_DAC = {'unreadable', 'readonly_folder'}
IN_PROCESS = {'enospc'}                                     # the full disk is simulated inside the process


def _paths(w, case):
    d, p = w['d'], w['p']
    sk, hint, out, _ = CASES[case]
    sk = p.get(sk, d / f'{sk}.png'); hint = p.get(hint, d / f'{hint}.png')
    out = d / (out or f'out/{case}.png')
    return sk, hint, out


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp('inputs')
    d.chmod(0o755)
    p = make_inputs(d)
    (d / 'out').mkdir()
    orig = {n: (d / n).read_bytes() for n in ('ok.png', 'hint.png')}
    from sketchcolor.models import Colorizer, save_model
    torch.manual_seed(0)
    save_model(Colorizer(width=0.125).eval(), d / 'tiny.safetensors')
    w = dict(d=d, p=p, orig=orig)
    W = ['--weights', d / 'tiny.safetensors', '--size', '64', '--device', 'cpu']
    runs, names = [], []
    for case in CASES:
        if case in NEEDS_NO_DAC | IN_PROCESS: continue
        sk, hint, out = _paths(w, case)
        runs.append(dict(argv=[str(a) for a in ['colorize', sk, hint, '-o', out, *W]], log=str(d / f'{case}.out'),
                         err=str(d / f'{case}.err'), timeout=300))
        names.append(case)
    # determinism across processes: the same colorize in two forked children and in two fresh interpreters
    for i in range(2):
        runs.append(dict(argv=[str(a) for a in ['colorize', p['ok'], p['hint'], '-o', d / f'det{i}.png', *W]],
                         log=str(d / f'det{i}.out'), err=str(d / f'det{i}.err'), timeout=300))
    (d / 'plan.json').write_text(json.dumps({'import': ['sketchcolor.inference', 'sketchcolor.cli'], 'runs': runs}))
    old = os.umask(0o022)
    try:
        fresh = [subprocess.Popen([sys.executable, '-m', 'sketchcolor.cli', 'colorize', p['ok'], p['hint'], '-o',
                                   d / f'fresh{i}.png', *map(str, W)], env=_env(), cwd=d, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for i in range(2)]
        nodac, perm = _no_dac(), {}
        for case in (NEEDS_NO_DAC if nodac is not None else ()):
            sk, hint, out = _paths(w, case)
            perm[case] = subprocess.Popen(nodac + [sys.executable, '-m', 'sketchcolor.cli', 'colorize', str(sk), str(hint), '-o',
                                                   str(out), *map(str, W)], env=_env(), cwd=d, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True)
        r = subprocess.run([sys.executable, str(ROOT / 'tests' / 'faults.py'), str(d / 'plan.json'), str(d / 'report.json')],
                           env=_env(), cwd=d, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-2000:]
        w['fresh'] = [(f.wait(timeout=600), f.stderr.read()) for f in fresh]
        for case, q in perm.items():
            _, err = q.communicate(timeout=600)
            (d / f'{case}.err').write_text(err); w[case] = q.returncode
    finally: os.umask(old)
    rep = json.loads((d / 'report.json').read_text())
    w['codes'] = {n: rr for n, rr in zip(names, rep)}
    w['det'] = rep[len(names):]
    w['nodac'] = nodac
    return w


def _check(w, case, code, err):
    d = w['d']
    sk, hint, out = _paths(w, case)
    kind, *exp = CASES[case][3]
    folder = out.parent
    if kind == 'ok':
        assert code == 0 and err == '', (case, code, err)
        img = Image.open(out)
        assert img.size == exp[0] and img.mode == 'RGB', (case, img.size)
        assert stat.S_IMODE(out.stat().st_mode) == 0o644, oct(out.stat().st_mode)     # umask 022: rw-r--r--
    else:
        msg, fname = exp
        assert code != 0, (case, code)
        assert err.endswith('\n') and err.count('\n') == 1, (case, err)                # one line
        assert err.startswith(PREFIX) and msg in err and fname in err and 'Traceback' not in err, (case, err)
        if case not in ('same_as_sketch', 'same_as_hint'): assert not out.exists(), case
        else: assert out.read_bytes() == w['orig'][out.name], case                       # the input is untouched
    from sketchcolor.files import is_partial
    if folder.exists() and os.access(folder, os.R_OK):
        assert not [q.name for q in folder.iterdir() if is_partial(q.name) or q.name.startswith('.sketchcolor-probe')], case


def test_matrix_has_at_least_20_kinds():
    assert len(CASES) >= 20


@pytest.mark.parametrize('case', [c for c in CASES if c not in NEEDS_NO_DAC | IN_PROCESS])
def test_cli(world, case):
    r = world['codes'][case]
    assert r['status'] == 'exit', r
    _check(world, case, r['code'], (world['d'] / f'{case}.err').read_text())


@pytest.mark.parametrize('case', sorted(NEEDS_NO_DAC))
def test_cli_permissions(world, case):
    if world['nodac'] is None: pytest.skip('running as root without setpriv: file modes cannot be enforced here')
    _check(world, case, world[case], (world['d'] / f'{case}.err').read_text())


def _enospc(monkeypatch):
    "Make every write into an `atomic_write` temporary file fail as on a full disk, after part of the data went out."
    import sketchcolor.files as files
    real = os.fdopen
    class Full:
        def __init__(self, f): self.f, self.n = f, 0
        def write(self, b):
            self.n += 1
            if self.n > 1: raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.f.write(b[:len(b) // 2])
        def fileno(self): raise io.UnsupportedOperation('fileno')   # keep PIL on the write() path
        def __getattr__(self, k): return getattr(self.f, k)
        def __enter__(self): return self
        def __exit__(self, *e): return self.f.__exit__(*e)
    monkeypatch.setattr(files.os, 'fdopen', lambda fd, *a, **k: Full(real(fd, *a, **k)))


def test_cli_enospc(world, monkeypatch, capfd):
    from sketchcolor import cli
    sk, hint, out = _paths(world, 'enospc')
    _enospc(monkeypatch)
    code = cli.main([str(a) for a in ['colorize', sk, hint, '-o', out, '--weights', world['d'] / 'tiny.safetensors', '--size', '64', '--device', 'cpu']])
    monkeypatch.undo()
    _check(world, 'enospc', code, capfd.readouterr().err)


@pytest.mark.parametrize('case', [c for c in CASES if CASES[c][2] is None and c != 'enospc'])
def test_api_reading(world, case):
    "`colorize()` on the same inputs: the image, or an InputError whose one-line message names the file."
    from sketchcolor.inference import colorize, load_colorizer, InputError
    sk, hint, _ = _paths(world, case)
    kind, *exp = CASES[case][3]
    if case == 'unreadable' and os.access(sk, os.R_OK):
        pytest.skip('this process (root) can read a chmod-000 file; the command case above runs without that power')
    m = load_colorizer(world['d'] / 'tiny.safetensors', device='cpu')
    if kind == 'ok':
        assert colorize(sk, hint, model=m, size=64).size == exp[0]
    else:
        with pytest.raises(InputError) as e: colorize(sk, hint, model=m, size=64)
        assert exp[0] in str(e.value) and exp[1] in str(e.value) and '\n' not in str(e.value)


@pytest.mark.parametrize('case', ['same_as_sketch', 'same_as_hint', 'unknown_format', 'enospc', 'readonly_folder'])
def test_api_writing(world, case, monkeypatch):
    "`check_not_input` and `save_image`: the outputs the API writes get the same checks."
    from sketchcolor.inference import check_not_input, save_image, InputError
    from sketchcolor.files import is_partial
    sk, hint, out = _paths(world, case)
    kind, msg, fname = CASES[case][3]
    if case == 'readonly_folder' and os.access(out.parent, os.W_OK):
        pytest.skip('this process (root) can write into a chmod-555 folder; the command case above runs without that power')
    if case == 'enospc': _enospc(monkeypatch)
    with pytest.raises(InputError) as e:
        check_not_input(out, sketch=sk, hint=hint)
        save_image(Image.new('RGB', (8, 8)), out)
    monkeypatch.undo()
    assert msg in str(e.value) and fname in str(e.value) and '\n' not in str(e.value)
    assert not [q for q in out.parent.iterdir() if is_partial(q.name)]


def test_written_files_have_the_umask_mode(world, tmp_path):
    "Images, weights, FID stats and training checkpoints: 0644 under umask 022 (mkstemp alone gives 0600)."
    from sketchcolor.inference import save_image
    from sketchcolor.models import Colorizer, save_model
    from sketchcolor.fid import save_stats
    from sketchcolor.train import save_checkpoint, _write_json
    old = os.umask(0o022)
    try:
        files = [save_image(Image.new('RGB', (4, 4)), tmp_path / 'a.png'), save_model(Colorizer(width=0.125), tmp_path / 'w.safetensors'),
                 save_stats(tmp_path / 's.npz', np.zeros(3), np.eye(3)), save_checkpoint(tmp_path / 'c.pt', dict(x=torch.ones(2)))]
        _write_json(tmp_path / 'm.json', {}); files.append(tmp_path / 'm.json')
    finally: os.umask(old)
    assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {f.name: '0o644' for f in files}


def test_deterministic_across_runs_and_processes(world):
    "The same inputs give byte-identical files: two forked children, two fresh interpreters, and twice in this process."
    from sketchcolor.inference import colorize, load_colorizer, save_image
    d = world['d']
    assert all(r['status'] == 'exit' and r['code'] == 0 for r in world['det']), world['det']
    assert all(code == 0 for code, _ in world['fresh']), world['fresh']
    files = [d / 'det0.png', d / 'det1.png', d / 'fresh0.png', d / 'fresh1.png']
    m = load_colorizer(d / 'tiny.safetensors', device='cpu')
    n = torch.get_num_threads(); torch.set_num_threads(1)        # as the commands (OMP_NUM_THREADS=1)
    try:
        for i in range(2): files.append(save_image(colorize(world['p']['ok'], world['p']['hint'], model=m, size=64), d / f'api{i}.png'))
    finally: torch.set_num_threads(n)
    data = {f.name: f.read_bytes() for f in files}
    assert len(set(data.values())) == 1, {k: len(v) for k, v in data.items()}


def _model_files(d: Path) -> dict:
    "Hostile model files: {name: (path, text the error must contain)}."
    import struct
    from safetensors.torch import save_file
    from sketchcolor.models import Colorizer, Discriminator, save_model
    good = save_model(Colorizer(width=0.125), d / 'good.safetensors')
    data = good.read_bytes()
    (d / 'truncated.safetensors').write_bytes(data[:len(data) // 3])
    class Boom:
        def __reduce__(self): return (os.system, (f'touch {d}/unpickled',))
    torch.save({'x': Boom()}, d / 'pickle.safetensors')                      # a pickle renamed .safetensors
    save_model(Discriminator(), d / 'disc.safetensors')
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    def with_meta(name, meta):
        h = dict(header, __metadata__=meta)
        raw = json.dumps(h, separators=(',', ':')).encode()
        raw += b' ' * (-len(raw) % 8)
        (d / name).write_bytes(struct.pack('<Q', len(raw)) + raw + data[8 + n:])
    info = json.loads(header['__metadata__']['sketchcolor'])
    with_meta('tampered_config.safetensors', {'sketchcolor': json.dumps(dict(info, config=dict(info['config'], width=0.5)))})
    with_meta('bad_kwarg.safetensors', {'sketchcolor': json.dumps(dict(info, config=dict(info['config'], evil='x')))})
    with_meta('other_class.safetensors', {'sketchcolor': json.dumps(dict(info, **{'class': 'posix.system'}))})
    with_meta('garbled_meta.safetensors', {'sketchcolor': '{not json'})
    (d / 'oversized_header.safetensors').write_bytes(struct.pack('<Q', 2 ** 40) + data[8:4096])
    (d / 'header_past_end.safetensors').write_bytes(struct.pack('<Q', len(data)) + data[8:])
    save_file({'w': torch.zeros(3)}, str(d / 'foreign.safetensors'))
    return {'truncated': ('truncated.safetensors', 'corrupted'), 'pickle_renamed': ('pickle.safetensors', 'not a valid safetensors'),
            'another_class_expected': ('disc.safetensors', 'holds a Discriminator, not a Colorizer'),
            'unknown_class': ('other_class.safetensors', "unknown model class 'posix.system'"),
            'tampered_config': ('tampered_config.safetensors', 'do not match'),
            'unexpected_config_key': ('bad_kwarg.safetensors', 'cannot build'),
            'garbled_metadata': ('garbled_meta.safetensors', 'unreadable sketchcolor metadata'),
            'oversized_header': ('oversized_header.safetensors', 'not a valid safetensors'),
            'header_past_end': ('header_past_end.safetensors', 'not a valid safetensors'),
            'no_sketchcolor_metadata': ('foreign.safetensors', 'without sketchcolor metadata')}


@pytest.fixture(scope='module')
def model_files(tmp_path_factory):
    d = tmp_path_factory.mktemp('models')
    return d, _model_files(d)


MODEL_CASES = ['truncated', 'pickle_renamed', 'another_class_expected', 'unknown_class', 'tampered_config',
               'unexpected_config_key', 'garbled_metadata', 'oversized_header', 'header_past_end', 'no_sketchcolor_metadata']


@pytest.mark.parametrize('case', MODEL_CASES)
def test_load_model_refuses(model_files, case):
    "A clear one-line ModelFileError naming the file, and no pickle machinery touched (so nothing is unpickled)."
    from unittest import mock
    from sketchcolor.models import load_model, ModelFileError
    d, files = model_files
    name, msg = files[case]
    def no_pickle(*a, **k): raise AssertionError('pickle used')
    with mock.patch('pickle.load', no_pickle), mock.patch('pickle.loads', no_pickle), \
         mock.patch('pickle.Unpickler', no_pickle), mock.patch('torch.load', no_pickle):
        with pytest.raises(ModelFileError) as e: load_model(d / name, expected='Colorizer' if case == 'another_class_expected' else None)
    assert msg in str(e.value) and name in str(e.value) and '\n' not in str(e.value), str(e.value)
    assert not (d / 'unpickled').exists()


BAD_PATHS = {'traversal': ('../../../etc/passwd', 'leaves'), 'absolute': ('/etc/passwd', 'absolute path'),
             'nul_byte': ('ok.png\x00.txt', 'NUL byte')}


@pytest.mark.parametrize('kind', list(BAD_PATHS))
def test_tables_cannot_name_files_outside_their_folder(tmp_path, kind):
    "items.csv (hexcodes) and clean.csv (paths), read by training and by the XYV-VGG: refused with the table, row and value."
    import pandas as pd
    from sketchcolor.files import UnsafePathError
    from sketchcolor.train import load_openmoji, load_clipart
    from sketchcolor.losses import xyv_vgg_items
    bad, msg = BAD_PATHS[kind]
    om = tmp_path / 'om'; shutil.copytree(ROOT / 'nbs' / 'fixtures' / 'openmoji_pairs', om)
    items = pd.read_csv(om / 'items.csv', dtype=str, keep_default_na=False)
    items.loc[2, 'hexcode'] = bad
    items.to_csv(om / 'items.csv', index=False)
    Image.new('RGB', (8, 8), 'red').save(tmp_path / 'ok.png')
    pd.DataFrame(dict(path=['ok.png', bad], category=['a', 'a'], keep=['True', 'True'])).to_csv(tmp_path / 'clean.csv', index=False)
    for f, where in ((lambda: load_openmoji(om, size=32, n_workers=1), 'items.csv row 4: hexcode'),
                     (lambda: xyv_vgg_items(om), 'items.csv: hexcode'),
                     (lambda: load_clipart(tmp_path / 'clean.csv', size=32, n_workers=1, device='cpu'), 'clean.csv row 3: path'),
                     (lambda: xyv_vgg_items(ROOT / 'nbs' / 'fixtures' / 'openmoji_pairs', tmp_path / 'clean.csv'), 'clean.csv row 3: path')):
        with pytest.raises(UnsafePathError) as e: f()
        assert where in str(e.value) and msg in str(e.value) and '\n' not in str(e.value), str(e.value)


def test_danbooru_metadata_cannot_name_files(tmp_path, capsys):
    "Only image extensions make a path; everything else is counted as malformed, with its reason."
    import pandas as pd
    from sketchcolor.data import filter_danbooru
    recs = [json.loads(l) for l in (ROOT / 'nbs' / 'fixtures' / 'danbooru' / 'posts.jsonl').read_text().splitlines()
            if l.startswith('{') and l.rstrip().endswith('}')]
    keep = next(r for r in recs if r.get('expect') == 'keep')
    bad = [dict(keep, id='11', file_ext='../../../etc/passwd'), dict(keep, id='12', file_ext='/etc/passwd'),
           dict(keep, id='13', file_ext='jpg\x00.sh'), dict(keep, id='14', file_ext='zip'), dict(keep, id='15', file_ext=None),
           dict(keep, id='../16'), dict(keep, id='17', file_ext='png')]
    (tmp_path / 'm.jsonl').write_text('\n'.join(json.dumps(r) for r in bad) + '\n')
    assert filter_danbooru(tmp_path / 'm.jsonl', tmp_path / 'kept.csv', progress=False) == 1
    err = capsys.readouterr().err
    assert '6 malformed' in err and "file_ext '../../../etc/passwd' is not an image extension: 1" in err and "bad id '../16': 1" in err
    assert pd.read_csv(tmp_path / 'kept.csv').path.tolist() == ['0017/17.png']
