"""Speed of sketchcolor's precision paths on this machine, side by side in one run.

Inference: ms per image of the colorizer's forward pass at 128, 256 and 512 px, batch 1 and 8, for each path
(fp32 eager; bf16 autocast; the path `colorize` picks itself, 'auto'), plus the whole `colorize()` call at 256 px
(also against the thesis' Colorizer's fp32 eager forward, when the default weights are another network);
training: images/s of a real training step (fastai Learner, Eq 5.1, 128 px, batch 8) in fp32 and bf16. Each as a
ratio to the fp32 eager path. Paths alternate inside every round and the medians are reported, since the machine is
shared. bf16 is only timed where the CPU has native bf16 (or with --force-bf16): emulated bf16 is ~100x slower.

    python bench/speed.py                      # full run, writes bench/results/speed-<cpu>-<capability>.json
    python bench/speed.py --quick              # 128 px only, 1 round: a smoke test
"""
import argparse, json, os, platform, statistics, sys, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sketchcolor.models import load_model, native_bf16, resolve_precision, autocast, cpu_flags   # noqa: E402
from sketchcolor.inference import colorize, WEIGHTS_NAME, MODEL_FILES                                          # noqa: E402


def cpu_info() -> dict:
    flags = cpu_flags()
    name = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines()
                 if l.startswith('model name')), platform.processor()) if Path('/proc/cpuinfo').exists() else platform.processor()
    return dict(cpu=name, cores=os.cpu_count(), threads=torch.get_num_threads(), torch=torch.__version__,
                capability=torch.backends.cpu.get_cpu_capability(),
                onednn_bf16=bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()),
                bf16_flags=sorted(flags & {'avx512_bf16', 'amx_bf16', 'amx_tile'}), native_bf16=native_bf16(),
                auto=resolve_precision('auto', 'cpu'), load_average=round(os.getloadavg()[0], 2))


def _order(items: list, r: int) -> list:
    "Alternate the order of the paths from round to round, so that neither always runs first."
    return list(items) if r % 2 == 0 else list(reversed(items))


def drawing(bs: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    "A line drawing (a grid of black lines on white: a few dozen paper regions, as in real line art) and a smooth colour hint."
    sk = torch.ones(bs, 1, size, size)
    for k in range(1, 8): sk[..., k * size // 8, :] = 0; sk[..., :, k * size // 8] = 0
    y, x = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(0, 1, size), indexing='ij')
    return sk, torch.stack([x, y, 1 - x * y]).expand(bs, 3, size, size).contiguous()


def timed(fn) -> float:
    t = time.perf_counter(); fn(); return time.perf_counter() - t


def inference(model, sizes, batches, paths, rounds) -> list[dict]:
    "Median ms per image of the forward pass for every (size, batch, path), paths alternating in each round."
    rows = []
    for size in sizes:
        for bs in batches:
            sk, hint = drawing(bs, size)
            def fwd(p):
                with torch.no_grad(), autocast('cpu', resolve_precision(p, 'cpu')): model(sk, hint)
            for p in paths: fwd(p); fwd(p)                                # warm-up (oneDNN builds its kernels per shape)
            times = {p: [] for p in paths}
            for r in range(rounds):
                for p in _order(paths, r): times[p].append(timed(lambda: fwd(p)))
            base = statistics.median(times['fp32'])
            for p in paths:
                med = statistics.median(times[p])
                rows.append(dict(kind='forward', size=size, batch=bs, path=p, ms_per_image=round(med / bs * 1000, 1),
                                 speedup_vs_fp32=round(base / med, 2)))
                print(f"forward {size:4d} px batch {bs}: {p:5s} {med / bs * 1000:8.1f} ms/image  x{base / med:.2f}", flush=True)
    return rows


def colorize_call(model, paths, rounds, size=256, thesis=None) -> list[dict]:
    """The whole `colorize()` (read, resize, network, line fill, resize back) of a 256 px sketch, vs the fp32 eager forward
    of the same network and, when `thesis` is given (the default weights are not the thesis' network), vs the fp32 eager
    forward of the thesis' Colorizer: the code sketchcolor reproduces."""
    sk = np.full((size, size), 255, np.uint8); sk[size // 2] = 0; sk[:, size // 3] = 0
    hint = np.full((size, size, 3), (200, 120, 40), np.uint8)
    x, h = torch.rand(1, 1, size, size), torch.rand(1, 3, size, size)
    def eager(m):
        def f():
            with torch.no_grad(): m(x, h)
        return f
    calls = {'fp32 eager forward': eager(model)}
    if thesis is not None: calls['thesis fp32 eager forward'] = eager(thesis)
    calls.update({f'colorize({p})': (lambda p=p: colorize(sk, hint, model=model, size=size, precision=p)) for p in paths})
    for f in calls.values(): f()
    times = {k: [] for k in calls}
    for r in range(rounds):
        for k in _order(list(calls), r): times[k].append(timed(calls[k]))
    med = {k: statistics.median(v) for k, v in times.items()}
    base, tbase = med['fp32 eager forward'], med.get('thesis fp32 eager forward')
    rows = []
    for k in calls:
        rows.append(dict(kind='colorize', size=size, batch=1, path=k, ms_per_image=round(med[k] * 1000, 1),
                         speedup_vs_fp32=round(base / med[k], 2), **({} if tbase is None else dict(speedup_vs_thesis_fp32=round(tbase / med[k], 2)))))
        print(f"{k:26s} {size} px: {med[k] * 1000:8.1f} ms  x{base / med[k]:.2f} vs the fp32 eager forward"
              + ('' if tbase is None else f", x{tbase / med[k]:.2f} vs the thesis' fp32 eager forward"), flush=True)
    return rows


def training(paths, rounds, size=128, bs=8) -> list[dict]:
    "Images/s of a real training step (the project's Learner, Eq 5.1) per precision path, via `seconds_per_batch`, for the thesis' Colorizer and the default HintColorizer (mixed hints)."
    from sketchcolor.train import colorize_dls, colorizer_learner, load_openmoji, seconds_per_batch, PairData
    from sketchcolor.models import Colorizer, HintColorizer
    import tempfile
    data = PairData.cat([load_openmoji(ROOT / 'nbs/fixtures/openmoji_pairs', size=size, n_workers=1)] * 4)
    tmp, rows = Path(tempfile.mkdtemp()), []
    hints = dict(reference=0.3, rough=0.25, dots=0.25, none=0.2)
    models = {'Colorizer (thesis)': (lambda: Colorizer(), None),
              'HintColorizer (default)': (lambda: HintColorizer(width=0.25, region_fill=True, hint_skip=True), hints)}
    for arch, (make, mix) in models.items():
        dls = colorize_dls(data, size=size, bs=bs, valid_pct=0.1, seed=0, device='cpu', n_workers=1, hints=mix)
        learners = {p: colorizer_learner(dls, make(), 'mse', path=tmp / p, name='bench', mixed_precision=p) for p in paths}
        times = {p: [] for p in paths}
        for r in range(rounds):
            for p in _order(paths, r): times[p].append(seconds_per_batch(learners[p], n=3))
        base = statistics.median(times['fp32'])
        for p in paths:
            med = statistics.median(times[p])
            rows.append(dict(kind='train step', model=arch, size=size, batch=bs, path=p, images_per_s=round(bs / med, 2),
                             speedup_vs_fp32=round(base / med, 2)))
            print(f"train step {arch} {size} px batch {bs}: {p:5s} {bs / med:6.2f} images/s  x{base / med:.2f}", flush=True)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--weights', default=str(ROOT / 'weights' / WEIGHTS_NAME))
    ap.add_argument('--rounds', type=int, default=4)
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--force-bf16', action='store_true', help='time bf16 even where the CPU only emulates it (very slow)')
    ap.add_argument('--quick', action='store_true', help='128 px, batch 1 and 2, one round, no training')
    ap.add_argument('--out', default=None, help='JSON file (default bench/results/speed-<cpu>-<capability>[-bf16].json)')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    info = cpu_info()
    print(json.dumps(info), flush=True)
    paths = ['fp32'] + (['bf16'] if info['native_bf16'] or a.force_bf16 else []) + ['auto']
    skipped = None if 'bf16' in paths else 'bf16 not timed: this CPU has no native bf16 (emulated bf16 is ~100x slower than fp32)'
    if skipped: print(skipped, flush=True)
    model = load_model(a.weights, expected=None).eval()
    t0 = time.perf_counter()
    sizes, batches, rounds = ((128,), (1, 2), 1) if a.quick else ((128, 256, 512), (1, 8), a.rounds)
    rows = inference(model, sizes, batches, paths, rounds)
    is_thesis = type(model).__name__ == 'Colorizer'
    thesis = None if is_thesis else load_model(ROOT / 'weights' / MODEL_FILES['thesis'], expected=None).eval()
    rows += colorize_call(model, paths, rounds, size=128 if a.quick else 256, thesis=thesis)
    if not a.quick: rows += training([p for p in paths if p != 'auto'], rounds)
    res = dict(info, inference_model=type(model).__name__ + (' (thesis)' if is_thesis else ' (default)'), date=time.strftime('%Y-%m-%d %H:%M:%S %Z'), rounds=rounds, seconds=round(time.perf_counter() - t0, 1),
               bf16_skipped=skipped, rows=rows)
    out = Path(a.out) if a.out else ROOT / 'bench' / 'results' / f"speed-{info['cpu'].replace(' ', '_').replace('/', '_')}-{info['capability']}{'-bf16' if info['native_bf16'] else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')
    print(f"wrote {out} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
