"""Issue 21: `sketchcolor train` killed with SIGKILL at many moments and rerun ends exactly where an uninterrupted run
ends; a non-finite loss stops a stage and a fixed config resumes. Everything runs the built-in `tiny` config.

Reference: one uninterrupted run, as its own `python -m sketchcolor.cli train` process. Kills: `tests/faults.py` forks
each attempt from one process that imported the library once (a fork costs milliseconds, importing fastai seconds)
and kills it with SIGKILL at a chosen moment (see its docstring); the next attempt is a plain rerun with the same
--out. Chain A kills at 16 moments drawn at random (seed below) from every kind of moment: mid-epoch in each
fastai stage, while a checkpoint or a model file is written (mid-write or just before the rename), between stages,
and inside stage 3; the last attempt is the real command with --resume. Chain B kills at three purely random
times. The non-finite chain breaks each stage's config in turn, then fixes it.
"""
import json, os, random, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import torch
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get('SKETCHCOLOR_KILL_SEED', '21'))
WEIGHTS = ('colorizer', 'generator_pregan', 'critic', 'stage3_generator_last')
LOGS = {'stage1_mse_log.csv': 2, 'stage1_perceptual_log.csv': 1, 'stage2_critic_log.csv': 1}


def _env():
    return dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get('PYTHONPATH', ''))


def kill_points(rng: random.Random) -> list[dict]:
    "16 kill moments of the tiny run, in the order the run reaches them, each drawn at random within its kind."
    c = rng.choice
    return [
        dict(kind='batch', stage='stage1_mse', epoch=0, iter=c([1, 2, 3])),                     # mid-epoch, nothing saved yet
        dict(kind='write', name='stage1_mse.pt', at='mid', nth=c([1, 2, 3])),                   # writing epoch 0's checkpoint
        dict(kind='batch', stage='stage1_mse', epoch=1, iter=c([0, 1, 2, 3])),                  # mid-epoch after a resume
        dict(kind='write', name='stage1_mse.pt', at='rename'),                                  # checkpoint written, not renamed
        dict(kind='enter', func='fit_stage', nth=2),                                            # between the two stage-1 phases
        dict(kind='batch', stage='stage1_perceptual', epoch=0, iter=c([0, 1, 2, 3])),
        dict(kind='write', name='stage1_perceptual.pt', at=c(['mid', 'rename']), nth=c([1, 2])),
        dict(kind='write', name='generator_pregan.safetensors', at=c(['mid', 'rename']), nth=1),  # between stages 1 and 2
        dict(kind='batch', stage='stage2_critic', epoch=0, iter=c(range(8))),
        dict(kind='write', name='stage2_critic.pt', at='mid', nth=c([1, 2, 3])),
        dict(kind='enter', func='train_gan'),                                                   # between stages 2 and 3
        dict(kind='gan_step', step=c([1, 2])),                                                  # stage 3, before its first checkpoint
        dict(kind='write', name='stage3_gan.pt', at=c(['mid', 'rename']), nth=c([1, 2])),        # stage 3's first checkpoint
        dict(kind='gan_step', step=c([3, 4])),                                                  # after the checkpoint of step 2
        dict(kind='write', name='stage3_gan.pt', at='mid', nth=1),                              # resumed at step 2: the step-6 one
        dict(kind='write', name='MODEL_CARD.md', at='rename'),                                  # the very end
    ]


def _faults(tmp: Path, name: str, runs: list[dict]) -> subprocess.Popen:
    plan = tmp / f'{name}_plan.json'
    plan.write_text(json.dumps({'import': ['sketchcolor.train', 'sketchcolor.cli'], 'runs': runs}, default=str))
    return subprocess.Popen([sys.executable, str(ROOT / 'tests' / 'faults.py'), str(plan), str(tmp / f'{name}_report.json')],
                            env=_env(), cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _report(tmp: Path, name: str, proc: subprocess.Popen) -> list[dict]:
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    return json.loads((tmp / f'{name}_report.json').read_text())


def _cli(args, cwd):
    return subprocess.Popen([sys.executable, '-m', 'sketchcolor.cli', 'train', *map(str, args)], env=_env(), cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _tail(p: Path, n=1500) -> str: return p.read_text()[-n:] if p.exists() else '(no log)'


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    "Run everything, two processes at a time (the tiny config trains on one thread): reference || chain A, then chain A's last attempt || chain B + non-finite chain."
    t = tmp_path_factory.mktemp('kill')
    points = kill_points(random.Random(SEED))
    (t / 'kill_points.json').write_text(json.dumps(points, indent=1))
    t0 = time.monotonic()
    ref = _cli(['tiny', '--out', t / 'ref', '--no-progress'], t)
    arun = lambda i, spec: dict(argv=['train', 'tiny', '--out', t / 'a', '--no-progress'], kill=spec, log=str(t / f'a{i}.log'), timeout=600)
    chain_a = _faults(t, 'a', [arun(i, p) for i, p in enumerate(points)])
    ref_out, ref_err = ref.communicate(timeout=900)
    rep_a = _report(t, 'a', chain_a)
    t1 = time.monotonic()
    # chain B: random times; the non-finite chain: each stage's config broken in turn, then fixed
    # random times scaled to this machine: each at most a third of the reference's training time, so the first two
    # attempts cannot finish the run between them (a fixed 1-8 s range let a fast CPU finish before the first kill)
    ref_metrics = t / 'ref' / 'metrics.json'   # missing only if the reference failed: test_reference_run says why
    stages = json.loads(ref_metrics.read_text())['stages'] if ref_metrics.exists() else {}
    ref_train_s = sum(s.get('seconds', 0) for s in stages.values()) or 10.0
    rng = random.Random(SEED + 1)
    times = [round(max(0.5, rng.uniform(0.1, 0.33) * ref_train_s), 2) for _ in range(3)]
    brun = lambda i, spec: dict(argv=['train', 'tiny', '--out', t / 'b', '--no-progress'], kill=spec, log=str(t / f'b{i}.log'), timeout=600)
    runs_b = [brun(i, dict(kind='time', after=s)) for i, s in enumerate(times)] + [brun(3, None)]
    from sketchcolor.train import load_config
    base = load_config('tiny')
    bad = {'stage1_mse': dict(stage1_mse=dict(base['stage1_mse'], lr=1e30)),
           'stage1_perceptual': dict(stage1_perceptual=dict(base['stage1_perceptual'], lr=1e30)),
           'stage2_critic': dict(stage2=dict(base['stage2'], lr=1e30)),
           'stage3_gan': dict(stage3=dict(base['stage3'], lr_g=1e30, lr_d=1e30))}
    order = list(bad)
    cfgs = []
    for i, stage in enumerate(order + ['fixed']):
        cfg = dict(base, **(bad[stage] if stage in bad else {}))
        (t / f'nan_{stage}.json').write_text(json.dumps(cfg))
        cfgs.append(dict(argv=['train', t / f'nan_{stage}.json', '--out', t / 'nan', '--no-progress'], kill=None,
                         log=str(t / f'nan{i}.log'), timeout=600))
    chain_b = _faults(t, 'b', runs_b + cfgs)
    last_a = _cli(['tiny', '--out', t / 'a', '--no-progress', '--resume'], t)
    last_out, last_err = last_a.communicate(timeout=900)
    rep_b = _report(t, 'b', chain_b)
    t2 = time.monotonic()
    print(f"kill test: reference || chain A {t1 - t0:.0f} s, then chain A's last attempt || chain B + non-finite {t2 - t1:.0f} s")
    return dict(t=t, points=points, times=times, ref=(ref.returncode, ref_out, ref_err), rep_a=rep_a,
                last_a=(last_a.returncode, last_out, last_err), rep_b=rep_b[:4], rep_nan=rep_b[4:], nan_order=order)


def _same_weights(a: Path, b: Path) -> list[str]:
    "Names of the weight files whose tensors differ between run folders `a` and `b` (bit for bit)."
    bad = []
    for w in WEIGHTS:
        x, y = load_file(str(a / f'{w}.safetensors')), load_file(str(b / f'{w}.safetensors'))
        if set(x) != set(y) or any(not torch.equal(x[k], y[k]) for k in x): bad.append(w)
    return bad


def _max_diff(a: Path, b: Path) -> float:
    x, y = load_file(str(a / 'colorizer.safetensors')), load_file(str(b / 'colorizer.safetensors'))
    return max(float((x[k].double() - y[k].double()).abs().max()) for k in x if x[k].is_floating_point())


def _check_finished_run(out: Path, ref: Path):
    "A finished run in `out`: valid metrics and weights, logs without gap or repeat, everything equal to the reference."
    from sketchcolor.models import load_model
    from sketchcolor.files import is_partial
    m, r = json.loads((out / 'metrics.json').read_text()), json.loads((ref / 'metrics.json').read_text())
    assert set(m['stages']) == {'stage1_mse', 'stage1_perceptual', 'stage2_critic', 'stage3_gan'}
    assert m['evaluate'] == r['evaluate'] and m['verdict'] == r['verdict'] and m['shipped'] == r['shipped']
    for w in WEIGHTS: load_model(out / f'{w}.safetensors')
    assert _same_weights(out, ref) == [], f'weights differ from the uninterrupted run (max |diff| {_max_diff(out, ref):.3g})'
    for log, n in LOGS.items():
        a, b = pd.read_csv(out / log), pd.read_csv(ref / log)
        assert a.epoch.tolist() == list(range(n)), (log, a.epoch.tolist())          # no gap, no repeated row
        pd.testing.assert_frame_equal(a.drop(columns='time'), b.drop(columns='time'))  # the same numbers
    a, b = pd.read_csv(out / 'stage3_log.csv'), pd.read_csv(ref / 'stage3_log.csv')
    assert not a.duplicated(['step', 'mode']).any() and a.step.tolist() == b.step.tolist()
    pd.testing.assert_frame_equal(a.drop(columns='seconds'), b.drop(columns='seconds'))
    left = [p for p in out.rglob('*') if is_partial(p.name)]
    assert left == [], left
    print(f'{out.name}: every weight file bit-identical to the uninterrupted run (max |difference| {_max_diff(out, ref)})')


def test_reference_run(world):
    code, out, err = world['ref']
    assert code == 0, err[-2000:]


def test_chain_a_was_killed_at_every_point(world):
    "Each attempt of chain A died by SIGKILL at its moment (none finished or failed on its own)."
    t = world['t']
    print('kill points (seed %d):' % SEED)
    for i, (p, r) in enumerate(zip(world['points'], world['rep_a'])):
        print(f'  {i + 1:2d}. {json.dumps(p)} -> {r["status"]} after {r["seconds"]} s')
    assert len(world['rep_a']) == len(world['points']) >= 10
    for i, r in enumerate(world['rep_a']):
        assert r['status'] == 'killed', (i, r, _tail(t / f'a{i}.log'))


def test_chain_a_resumes_and_ends_as_the_uninterrupted_run(world):
    code, out, err = world['last_a']
    assert code == 0, err[-2000:]
    assert 'resuming' in out and 'not trained again' in out
    _check_finished_run(world['t'] / 'a', world['t'] / 'ref')


def test_chain_b_random_times(world):
    "Killed at random times (whatever was running then), rerun until it finishes: the same result."
    t, rep = world['t'], world['rep_b']
    print('random kill times (s after start):', world['times'], '->', [r['status'] for r in rep])
    assert rep[-1]['status'] == 'exit' and rep[-1]['code'] == 0, _tail(t / 'b3.log')
    assert sum(r['status'] == 'killed' for r in rep[:3]) >= 2
    _check_finished_run(t / 'b', t / 'ref')


def test_non_finite_loss_stops_each_stage_and_a_fixed_config_resumes(world):
    t, rep = world['t'], world['rep_nan']
    for i, stage in enumerate(world['nan_order']):
        log = (t / f'nan{i}.log').read_text()
        assert rep[i]['status'] == 'exit' and rep[i]['code'] == 3, (stage, rep[i], log[-1500:])
        err = [l for l in log.splitlines() if l.startswith('sketchcolor train: error:')]
        assert len(err) == 1 and f'{stage}: non-finite' in err[0] and 'step' in err[0] and 'Traceback' not in log, log[-1500:]
        assert 'rerun with the same output folder' in err[0]
    assert rep[-1]['status'] == 'exit' and rep[-1]['code'] == 0, _tail(t / 'nan4.log')
    fixed = (t / 'nan4.log').read_text()
    assert fixed.count('finished earlier') == 3            # stage1_mse, stage1_perceptual, stage2 were kept
    _check_finished_run(t / 'nan', t / 'ref')


def test_resume_flag_needs_a_run_and_the_same_config(world, tmp_path, capsys):
    from sketchcolor.train import cli_train
    assert cli_train(['tiny', '--out', str(tmp_path / 'empty'), '--resume', '--no-progress']) == 2
    err = capsys.readouterr().err
    assert 'nothing to resume' in err and err.count('\n') == 1
    from sketchcolor.train import load_config
    other = dict(load_config('tiny'), bs=2)
    (tmp_path / 'other.json').write_text(json.dumps(other))
    assert cli_train([str(tmp_path / 'other.json'), '--out', str(world['t'] / 'ref'), '--no-progress']) == 2
    err = capsys.readouterr().err
    assert 'holds checkpoints of another run' in err and 'bs: 4 -> 2' in err and err.count('\n') == 1


def test_help_states_resume(capsys):
    from sketchcolor.train import cli_train
    with pytest.raises(SystemExit) as e: cli_train(['--help'])
    out = capsys.readouterr().out
    assert e.value.code == 0 and '--resume' in out and '--restart' in out and 'resumes' in out


def test_bf16_autocast_resume_is_exact(tmp_path):
    """With bf16 autocast on (the default where the CPU has native bf16; forced here, and emulated where it has not:
    4-5x slower, so one stage only), a stage interrupted after its first epoch resumes bit for bit. Stage 3 runs
    under the same `autocast` context, which holds no state; its resume is checked in fp32 above."""
    from fastai.callback.core import Callback
    from sketchcolor.models import Colorizer
    from sketchcolor.train import colorize_dls, colorizer_learner, fit_stage, checkpoint_path, load_checkpoint, _seed_everything
    pairs = ROOT / 'nbs' / 'fixtures' / 'openmoji_pairs'
    n = torch.get_num_threads(); torch.set_num_threads(1)
    class Killed(Exception): pass
    class KillAfterFirstEpoch(Callback):
        order = 70
        def after_epoch(self):
            if self.epoch == 0: raise Killed('kill')
    def dls():
        _seed_everything(0)
        return colorize_dls(pairs, size=32, bs=4, valid_pct=0.3, seed=0, device='cpu', n_workers=1)
    def learner(name):
        d = dls()
        return colorizer_learner(d, Colorizer(width=0.25), 'mse', path=tmp_path, name=name, mixed_precision='bf16')
    try:
        whole = learner('whole'); fit_stage(whole, 3e-3, max_epochs=2, progress=False)
        cut = learner('cut'); cut.add_cb(KillAfterFirstEpoch())
        with pytest.raises(Exception): fit_stage(cut, 3e-3, max_epochs=2, progress=False)
        assert load_checkpoint(checkpoint_path(tmp_path, 'cut'))['epoch'] == 0
        cut = learner('cut'); rep = fit_stage(cut, 3e-3, max_epochs=2, progress=False)
        assert rep['resumed'] and any(type(cb).__name__ == 'Autocast' and cb.precision == 'bf16' for cb in cut.cbs)
        w, c = whole.model.state_dict(), cut.model.state_dict()
        assert all(torch.equal(w[k], c[k]) for k in w)
    finally: torch.set_num_threads(n)
