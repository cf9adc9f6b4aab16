"""Issue 22: `sketchcolor train` on two CPU processes under `torchrun --nproc_per_node 2` (gloo) follows the run on one
process with the same global batch; rank 0 alone writes; `sketchcolor colorize` on a folder, sharded over the ranks,
writes every output exactly once.

The training runs use a variant of the built-in `tiny` config (`CFG` below: no rotation/warp/zoom/lighting/sketch
degradation, Eq 5.1 for 2 epochs, the critic for 1 epoch, 6 stage-3 steps, a 1-epoch perceptual phase) and
`tests/distributed_run.py --no-random`, which switches off the random draws that two processes split differently from
one (HueDropout, flips). One process trains with batch 4; two processes with batch 2 each (global batch 4), on
interleaved shards, so global batch k holds the same items in both runs. What can still differ is rounding: sums in
another order (DDP's gradient average, BatchNorm statistics summed over the ranks). `TOL` is the bound on the
largest absolute difference of any weight or BatchNorm statistic of each saved model (the printed line, with -s,
gives the measured values; weights and statistics are of order 0.1-3). The critic's bound is looser for a reason
outside the distributed code: its fakes are the generator's outputs rounded to uint8, and generator weights that
differ by ~1e-6 round ~0.01% of the fake pixel values to the neighbouring level (checked below: never more than
1/255), which moves the critic's BatchNorm statistics by up to ~1e-2.
"""
import json, os, shutil, subprocess, sys, time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / 'tests' / 'distributed_run.py'
TOL = {'generator_pregan': 1e-4, 'stage3_generator_last': 1e-4, 'critic': 1e-2}
CFG = dict(name='dist', device='cpu', threads=1, sources=[dict(kind='openmoji', path=str(ROOT / 'nbs/fixtures/openmoji_pairs'))],
           size=32, valid_pct=0.3, n_workers=1, model=dict(z_dim=64, out_space='hhsv', width=0.25), vgg='random',
           augment=dict(max_rotate=0., max_warp=0., max_lighting=0., max_zoom=1., degrade=False),
           stage1_mse=dict(lr=3e-3, minutes=None, max_epochs=2), stage1_perceptual=dict(lr=2e-4, minutes=None, max_epochs=1),
           stage3=dict(minutes=None, max_steps=6, nb=2, threshold=1e-4, gan_w=0.003, lr_g=1e-5, lr_d=1e-4,
                       eval_every=3, eval_batches=1, checkpoint_every=2),
           evaluate=dict(max_batches=1),
           mixed_precision='fp32')   # the sharding arithmetic is compared in fp32: a CPU with native bf16 would train in bf16 ('auto')


def _env():
    return dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get('PYTHONPATH', ''))


def _torchrun(n: int) -> list[str]:
    return [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(n)] if n > 1 else [sys.executable]


def _run(n: int, writes: Path, *args, no_random=False, timeout=600):
    cmd = _torchrun(n) + [str(DRIVER), str(writes)] + (['--no-random'] if no_random else []) + ['--'] + list(map(str, args))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-6000:]}"
    return p, time.perf_counter() - t0


def _written(writes: Path, rank: int) -> list[str]:
    f = writes / f'rank{rank}.txt'
    return f.read_text().split() if f.exists() else []


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    "The same training on one process (batch 4) and on two (batch 2 each), run side by side."
    tmp = tmp_path_factory.mktemp('dist')
    out = {}
    for n, bs in ((1, 4), (2, 2)):
        cfg = dict(CFG, bs=bs, stage2=dict(lr=3e-3, minutes=None, max_epochs=1, bs=bs))
        (tmp / f'cfg{n}.json').write_text(json.dumps(cfg))
    procs = {}
    for n in (1, 2):
        cmd = _torchrun(n) + [str(DRIVER), str(tmp / f'writes{n}'), '--no-random', '--', 'train', str(tmp / f'cfg{n}.json'),
                              '--out', str(tmp / f'run{n}'), '--no-progress']
        procs[n] = (cmd, subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), time.perf_counter())
    for n, (cmd, p, t0) in procs.items():
        so, se = p.communicate(timeout=600)
        assert p.returncode == 0, f"{' '.join(cmd)} failed ({p.returncode}):\n{so[-3000:]}\n{se[-6000:]}"
        out[n] = dict(dir=tmp / f'run{n}', writes=tmp / f'writes{n}', stdout=so, seconds=time.perf_counter() - t0)
    return out


def test_two_processes_follow_one(runs):
    "After 2 epochs (stage 1: 8 steps + 4 perceptual), 1 critic epoch (4 steps) and 6 stage-3 steps, every weight agrees within TOL."
    diffs, moved = {}, {}
    for m in TOL:
        a, b = (load_file(runs[n]['dir'] / f'{m}.safetensors') for n in (1, 2))
        assert a.keys() == b.keys()
        diffs[m] = max(float((a[k].float() - b[k].float()).abs().max()) for k in a)
    init = load_file(runs[1]['dir'] / 'generator_pregan.safetensors')
    last = load_file(runs[1]['dir'] / 'stage3_generator_last.safetensors')
    moved = max(float((init[k] - last[k]).abs().max()) for k in init if init[k].is_floating_point())   # stage 3 changes the weights
    print(f"max |Δ| two processes vs one: {diffs}; stage 3 moved the generator by up to {moved:.2e}")
    assert all(diffs[m] <= TOL[m] for m in TOL), diffs
    f1, f2 = (torch.load(runs[n]['dir'] / 'fakes_sample.pt') for n in (1, 2))
    assert int((f1['train'].int() - f2['train'].int()).abs().max()) <= 1
    assert moved > 0
    m1, m2 = (json.loads((runs[n]['dir'] / 'metrics.json').read_text()) for n in (1, 2))
    assert (m1['world_size'], m2['world_size']) == (1, 2)
    assert m2['data']['world_size'] == 2
    # validation is reduced over both ranks: the per-epoch validation losses are those of the single process
    for s in ('stage1_mse', 'stage1_perceptual'):
        v1, v2 = ([h['valid_loss'] for h in m['stages'][s]['history']] for m in (m1, m2))
        assert v1 == pytest.approx(v2, rel=1e-3, abs=1e-4), (s, v1, v2)
    assert m2['stages']['stage3_gan']['mode_steps'] == m1['stages']['stage3_gan']['mode_steps']
    assert m2['stages']['stage3_gan']['final']['valid_loss'] == pytest.approx(m1['stages']['stage3_gan']['final']['valid_loss'], rel=1e-3)
    card = (runs[2]['dir'] / 'MODEL_CARD.md').read_text()
    assert 'per process × 2 processes' in card


def test_rank0_writes_alone(runs):
    "One checkpoint per stage, one metrics file, one model card: everything written by rank 0, nothing by rank 1."
    d, w = runs[2]['dir'], runs[2]['writes']
    assert _written(w, 1) == [], _written(w, 1)
    mine = _written(w, 0)
    for f in ('metrics.json', 'MODEL_CARD.md', 'colorizer.safetensors', 'checkpoints/stage1_mse.pt', 'checkpoints/stage3_gan.pt'):
        assert str(d / f) in mine, f
    assert sorted(p.name for p in (d / 'checkpoints').glob('*.pt')) == ['stage1_mse.pt', 'stage1_perceptual.pt', 'stage2_critic.pt', 'stage3_gan.pt']
    assert len(list(d.rglob('metrics.json'))) == 1 and not list(d.rglob('*.tmp*'))


def test_two_processes_resume(runs, tmp_path):
    "A rerun of the finished two-process run resumes every stage from its checkpoint (read by rank 0) and ends where it ended."
    d = tmp_path / 'again'
    shutil.copytree(runs[2]['dir'], d)
    p, _ = _run(2, tmp_path / 'w', 'train', Path(runs[2]['dir'].parent / 'cfg2.json'), '--out', d, '--no-progress', '--resume', no_random=True)
    assert p.stdout.count('finished earlier') >= 2 * 4, p.stdout[-2000:]          # 4 stages, on both ranks
    a, b = (load_file(x / 'colorizer.safetensors') for x in (runs[2]['dir'], d))
    assert all(torch.equal(a[k], b[k]) for k in a)
    # a run of another world size does not silently mix with these checkpoints
    p = subprocess.run([sys.executable, '-m', 'sketchcolor.cli', 'train', str(runs[2]['dir'].parent / 'cfg2.json'), '--out', str(d),
                        '--no-progress'], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and 'world_size: 2 -> 1' in p.stderr, p.stderr[-2000:]


def test_folder_sharded(tmp_path):
    "`sketchcolor colorize SKETCH_DIR HINT -o OUT_DIR` under torchrun: each rank colours its share; every output once."
    src = ROOT / 'nbs/fixtures/openmoji_pairs'
    sk = tmp_path / 'sketches'; sk.mkdir()
    names = sorted((src / 'line').glob('*.png'))[:5]
    for f in names: shutil.copy(f, sk / f.name)
    out = tmp_path / 'out'
    _run(2, tmp_path / 'w', 'colorize', sk, src / 'color' / names[0].name, '-o', out, '--size', '64', '--device', 'cpu')
    w0, w1 = _written(tmp_path / 'w', 0), _written(tmp_path / 'w', 1)
    assert w0 and w1, (w0, w1)                                              # both ranks worked
    assert sorted(w0 + w1) == sorted(str(out / f.name) for f in names)     # each output exactly once
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in names)
