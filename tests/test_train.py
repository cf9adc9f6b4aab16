"""Tests of sketchcolor.train that the notebook can't make: the command line, bad input, resuming, budgets, the
critic really training in stage 3, and the whole tiny pipeline on the committed fixtures."""
import json, subprocess, sys
from pathlib import Path

import pytest
import torch

from sketchcolor.train import (cli_train, colorize_dls, load_config, train_nogan, train_gan, pretrain_critic,
                               pack_openmoji, load_openmoji, GANSwitcher, CONFIGS)
from sketchcolor.models import Colorizer, Discriminator, load_model, save_model

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / 'nbs' / 'fixtures' / 'openmoji_pairs'


@pytest.fixture(scope='module', autouse=True)
def one_thread():
    "The CI machine is small and shared: one thread per process avoids oversubscription."
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    "The built-in tiny config run once through the command line; returns its output folder."
    out = tmp_path_factory.mktemp('tiny') / 'run'
    assert cli_train(['tiny', '--out', str(out), '--no-progress']) == 0
    return out


def test_tiny_run_writes_everything(tiny_run):
    for f in ('colorizer.safetensors', 'generator_pregan.safetensors', 'critic.safetensors',
              'stage3_generator_last.safetensors', 'stage1_mse_log.csv', 'stage1_perceptual_log.csv',
              'stage2_critic_log.csv', 'stage3_log.csv', 'stage3_before_after.png', 'metrics.json', 'MODEL_CARD.md'):
        assert (tiny_run / f).exists(), f
    m = json.loads((tiny_run / 'metrics.json').read_text())
    assert set(m['stages']) == {'stage1_mse', 'stage1_perceptual', 'stage2_critic', 'stage3_gan'}
    assert m['stages']['stage1_mse']['epochs_done'] == 2
    assert 0 <= m['stages']['stage2_critic']['valid_accuracy'] <= 1
    s3 = m['stages']['stage3_gan']
    assert s3['mode_steps']['critic'] > 0 and s3['critic_weight_change'] > 0
    assert m['shipped'] in ('pregan', 'stage3') and 'verdict' in m
    from sketchcolor.models import resolve_precision
    assert m['precision'] == resolve_precision('auto', 'cpu')          # what 'auto' became, recorded
    assert set(m['evaluate']) >= {'model', 'untrained model', 'flat colour 8×8'}
    assert isinstance(load_model(tiny_run / 'colorizer.safetensors', expected='Colorizer'), Colorizer)
    assert isinstance(load_model(tiny_run / 'critic.safetensors'), Discriminator)
    card = (tiny_run / 'MODEL_CARD.md').read_text()
    assert 'colorizer.safetensors' in card and 'Stage-3 verdict' in card


def test_rerun_resumes_finished_stages(tiny_run):
    "A second run in the same folder does not retrain the finished stage-1 phases."
    m = train_nogan('tiny', tiny_run, stages=(1,), progress=False)
    assert m['stages']['stage1_mse']['resumed'] and m['stages']['stage1_mse']['epochs_done'] == 2


def test_budgeted_stage_stops_and_saves(tmp_path):
    "With time budgets (the GPU path), stages plan their epochs from measured speed and still save a model."
    cfg = dict(CONFIGS['tiny'], stage1_mse=dict(lr=3e-3, minutes=0.05, max_epochs=50), stage1_perceptual=None)
    m = train_nogan(cfg, tmp_path / 'b', stages=(1,), progress=False)
    s = m['stages']['stage1_mse']
    assert s['sec_per_batch'] > 0 and s['n_epoch'] < 50
    assert (tmp_path / 'b' / 'colorizer.safetensors').exists()


def test_critic_really_trains_in_stage3(tmp_path):
    "The thesis code never incremented its switch counter, so D never trained in stage 3; here it must."
    torch.manual_seed(0)
    dls = colorize_dls(PAIRS, size=32, bs=4, valid_pct=0.3, seed=0, device='cpu', n_workers=1)
    gen, critic = Colorizer(width=0.25), Discriminator()
    d0 = {k: v.clone() for k, v in critic.state_dict().items()}
    g0 = {k: v.clone() for k, v in gen.state_dict().items()}
    rep = train_gan(gen, critic, dls, tmp_path, vgg='random', nb=1, max_steps=4, eval_every=100, eval_batches=1,
                    progress=False)
    assert rep['mode_steps'] == {'generator': 2, 'critic': 2}
    changed = [k for k, v in critic.state_dict().items() if v.is_floating_point() and not torch.equal(v, d0[k])]
    assert any(k.endswith('weight') for k in changed), 'discriminator weights did not change'
    gen.load_state_dict(rep['after_state'])
    assert any(not torch.equal(v, g0[k]) for k, v in gen.state_dict().items() if v.is_floating_point())


def test_switcher_counts():
    sw = GANSwitcher(nb=2)
    modes = [sw.step(1.0) for _ in range(6)]
    assert modes == ['generator', 'critic', 'critic', 'generator', 'generator', 'critic']
    assert sw.steps == {'generator': 4, 'critic': 2} and sw.switches == 3


def test_pack_round_trip(tmp_path):
    tar = pack_openmoji(PAIRS, tmp_path / 'om.tar', n_workers=1)
    a, b = load_openmoji(PAIRS, 32, n_workers=1), load_openmoji(tar, 32, n_workers=1)
    assert torch.equal(a.color, b.color) and torch.equal(a.sketch, b.sketch)


@pytest.mark.parametrize('args, msg', [
    (['missing.json'], 'missing.json: config not found'),
    (['tiny', '--stages', '5'], '--stages'),
])
def test_cli_user_errors(args, msg, capsys):
    assert cli_train(args) == 2
    err = capsys.readouterr().err
    assert msg in err and 'Traceback' not in err and len(err.strip().splitlines()) == 1


def test_cli_bad_config_files(tmp_path, capsys):
    (tmp_path / 'bad.json').write_text('{"size": 64,')
    (tmp_path / 'unknown.json').write_text('{"sise": 64}')
    (tmp_path / 'nodata.json').write_text(json.dumps(dict(sources=[dict(kind='openmoji', path=str(tmp_path / 'none'))],
                                                          device='cpu', vgg='random')))
    assert cli_train([str(tmp_path / 'bad.json')]) == 2
    assert 'bad.json: not valid JSON' in capsys.readouterr().err
    assert cli_train([str(tmp_path / 'unknown.json')]) == 2
    assert "unknown key(s) ['sise']" in capsys.readouterr().err
    assert cli_train([str(tmp_path / 'nodata.json'), '--out', str(tmp_path / 'o')]) == 2
    assert 'items.csv: not found' in capsys.readouterr().err


def test_missing_vgg_fails_before_training(tmp_path, capsys):
    cfg = dict(CONFIGS['tiny'], vgg=str(tmp_path / 'no_vgg.safetensors'))
    (tmp_path / 'c.json').write_text(json.dumps(cfg))
    assert cli_train([str(tmp_path / 'c.json'), '--out', str(tmp_path / 'o')]) == 2
    assert 'no_vgg.safetensors: XYV-VGG weights not found' in capsys.readouterr().err
    assert not (tmp_path / 'o' / 'stage1_mse_log.csv').exists()


def test_data_and_vgg_overrides(capsys):
    assert cli_train(['gpu', '--data', str(PAIRS), '--vgg', 'some/vgg.safetensors', '--show']) == 0
    cfg = json.loads(capsys.readouterr().out)
    assert cfg['sources'] == [dict(kind='openmoji', path=str(PAIRS.resolve()))]
    assert cfg['vgg'].endswith('some/vgg.safetensors')


def test_show_config_through_console_command():
    "`python -m sketchcolor.cli train gpu --show` prints the full GPU config (what the lead runs)."
    out = subprocess.run([sys.executable, '-m', 'sketchcolor.cli', 'train', 'gpu', '--show'], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    cfg = json.loads(out.stdout)
    assert cfg == load_config('gpu') and cfg['size'] == 256 and cfg['device'] == 'cuda'


def test_bad_init_weights_fail_before_training(tmp_path, capsys):
    "`--init` naming a missing file or weights of another shape: exit 2, a message naming the file, nothing trained."
    assert cli_train(['tiny', '--init', str(tmp_path / 'nowhere.safetensors'), '--out', str(tmp_path / 'o')]) == 2
    assert 'nowhere.safetensors' in capsys.readouterr().err
    save_model(Colorizer(z_dim=16, width=0.25), tmp_path / 'small_z.safetensors')
    assert cli_train(['tiny', '--init', str(tmp_path / 'small_z.safetensors'), '--out', str(tmp_path / 'o')]) == 2
    err = capsys.readouterr().err
    assert 'small_z.safetensors' in err and 'differs' in err
    assert not (tmp_path / 'o' / 'stage1_mse_log.csv').exists()
