"""The numbers and pictures of the z-exploration chapter (nbs/09_explore.ipynb), on this machine.

Principal directions of the thesis colorizer's z over OpenMoji validation drawings (`split_pairs`, 128 px), what each
does (hue / saturation / value changes on a few validation sketches), the grid picture, and the latency of one slider
move in `ZExplorer` at 128 and 256 px for the thesis model and the default colorizer (a HintColorizer(width=0.25),
from --hint-weights or with random weights, stands in while the default weights are not a HintColorizer),
traced and eager: wall-clock milliseconds, and with one thread also the CPU time of the thread, which is what an idle
core would take when the machine is shared (every row records the load average).

    python bench/explore.py                  # writes bench/results/explore.json and nbs/images/explore_grid.png
    python bench/explore.py --quick          # 40 drawings, 8 moves: a smoke test (writes to run/)
"""
import argparse, json, os, statistics, sys, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sketchcolor.explore import ZExplorer, z_directions, direction_effects, name_directions, direction_grid  # noqa: E402
from sketchcolor.inference import load_colorizer, example_paths                                              # noqa: E402
from sketchcolor.models import HintColorizer, read_model_info, resolve_precision                             # noqa: E402
from sketchcolor.loaders import load_openmoji, split_pairs                                                   # noqa: E402
from speed import cpu_info                                                                                    # noqa: E402  (bench/speed.py)


def latency(model, name: str, size: int, moves: int, threads: int, fast: bool, dirs, precision: str = 'fp32') -> dict:
    "ms of one principal-direction slider move (observer -> image widget), `moves` moves after 3 warm-up ones."
    torch.set_num_threads(threads)
    sk, hint = example_paths()
    t0 = time.perf_counter()
    ex = ZExplorer(sk, hint, model=model, directions=dirs, k=6, size=size, live=False, fast=fast, precision=precision)
    build = time.perf_counter() - t0
    vals = np.linspace(-2, 2, moves + 3)
    times, cpu = [], []
    for i, v in enumerate(vals):
        s = ex.sliders[i % 3]
        c0, t0 = time.thread_time(), time.perf_counter(); s.value = float(v)
        dt, dc = time.perf_counter() - t0, time.thread_time() - c0
        if i >= 3: times.append(dt * 1e3); cpu.append(dc * 1e3)
    times.sort(); cpu.sort()
    # with one thread every operation runs on this thread: its CPU time is what an idle core would take
    cpu_ms = dict(cpu_median_ms=round(statistics.median(cpu), 1), cpu_p95_ms=round(cpu[min(len(cpu) - 1, int(0.95 * len(cpu)))], 1)) \
        if threads == 1 else {}
    return dict(model=name, size=size, hw=list(ex.hw), threads=threads, fast=fast, precision=ex.dec.precision, path=ex.dec.path, choice=ex.dec.choice,
                median_ms=round(statistics.median(times), 1), p95_ms=round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                max_ms=round(times[-1], 1), **cpu_ms, moves=len(times), build_s=round(build, 2), load_average=round(os.getloadavg()[0], 2))


@torch.no_grad()
def decoder_gmac(model, size: int) -> float:
    "Multiply-accumulates (billions) of the convolutions and linear layers one z change runs (`decode_features`) at `size` px."
    macs = []
    def hook(m, i, o):
        k = m.weight[0].numel() if isinstance(m, torch.nn.Conv2d) else m.in_features
        macs.append(o.numel() * k)
    feats = model.sketch_features(torch.ones(1, 1, size, size), None)
    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    try: model.decode_features(feats, torch.zeros(1, model.z_dim))
    finally:
        for h in hooks: h.remove()
    return round(sum(macs) / 1e9, 2)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=500, help='validation drawings for the PCA (at most the split minus --sketches)')
    p.add_argument('--sketches', type=int, default=8, help='validation sketches for the effects')
    p.add_argument('--moves', type=int, default=40, help='slider moves per latency measurement')
    p.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    p.add_argument('--precision', nargs='+', default=['fp32', 'auto'], help="the explorer's precision paths ('auto': bf16 where the CPU has it natively)")
    p.add_argument('--hint-weights', help='a HintColorizer weights file to time when the default weights are not one')
    p.add_argument('--skip-latency', action='store_true', help='keep the latency rows of the existing results file')
    p.add_argument('--quick', action='store_true')
    p.add_argument('--skip-directions', action='store_true', help='keep the directions of the existing results file')
    a = p.parse_args()
    out = ROOT / 'bench/results/explore.json'
    grid_png = ROOT / 'nbs/images/explore_grid.png'
    if a.quick:
        a.n, a.sketches, a.moves, a.threads = 40, 2, 8, [1]
        out, grid_png = ROOT / 'run/issue19/explore_quick.json', ROOT / 'run/issue19/explore_grid_quick.png'
    old = json.loads(out.read_text()) if out.exists() else {}
    torch.set_num_threads(1)
    thesis = load_colorizer('thesis', 'cpu')
    info = cpu_info()
    res = dict(machine={k: info[k] for k in ('cpu', 'cores', 'torch', 'capability', 'native_bf16', 'bf16_flags')})
    if a.skip_latency and 'latency' in old: res['machine'] = old['machine']       # the rows keep the machine they ran on
    if a.skip_directions and 'directions' in old: res['directions'] = old['directions']
    else:
        t0 = time.time()
        data = load_openmoji(size=128)
        valid = split_pairs(data)[1]
        rng = np.random.default_rng(0)
        n = min(a.n, len(valid) - a.sketches)              # the validation split has ~450 drawings
        pick = np.sort(rng.permutation(valid)[:n + a.sketches])
        pca, show = data.subset(pick[:n]), data.subset(pick[n:])
        dirs = z_directions(thesis, pca, k=8)
        sketches = [show.sketch[i].float()[None] / 255 for i in range(len(show))]
        eff = direction_effects(thesis, sketches, dirs, size=128)
        names = name_directions(eff)
        grid_png.parent.mkdir(parents=True, exist_ok=True)
        direction_grid(thesis, sketches[:3], dirs, size=64, rows=6).quantize(128).save(grid_png, optimize=True)   # a small file
        res['directions'] = dict(thesis=dict(n=dirs.n, directions=dirs.to_dict(), names=names,
                                             sketches=list(show.items.hexcode), seconds=round(time.time() - t0, 1),
                                             effects=eff.reset_index().round(4).to_dict('records')))
        print(eff.round(3).to_string()); print('named:', names)
    from sketchcolor.explore import ZDirections
    tdirs = ZDirections.from_dict(res['directions']['thesis']['directions'])
    default = load_colorizer(None, 'cpu')
    info = read_model_info(ROOT / 'weights/colorizer.safetensors')
    models = [('thesis', thesis, tdirs)]
    if isinstance(default, HintColorizer): models.append((f"default ({info['class']}, width {info['config']['width']})", default, None))
    elif a.hint_weights:
        hc = load_colorizer(a.hint_weights, 'cpu')
        models.append((f"{type(hc).__name__} width {hc.config['width']} ({a.hint_weights})", hc, None))
    else:
        torch.manual_seed(0)
        models.append(('HintColorizer width 0.25 (random weights)', HintColorizer(width=0.25).eval(), None))
    if not isinstance(default, HintColorizer):
        res['default_weights'] = f"weights/colorizer.safetensors is a {info['class']} {info['config']}: not yet a HintColorizer"
    res['decoder_gmac'] = {name: {str(size): decoder_gmac(m, size) for size in (128, 256)} for name, m, _ in models}
    print('decoder GMAC per z change:', res['decoder_gmac'])
    rows = []
    if a.skip_latency:
        res['latency'] = old.get('latency', [])
        out.write_text(json.dumps(res, indent=1) + '\n'); print('wrote', out)
        return
    for threads in a.threads:
        for name, m, d in models:
            for size in (128, 256):
                for prec in dict.fromkeys(resolve_precision(p, 'cpu') for p in a.precision):   # 'auto' may be fp32 here
                    for fast in (True, 'traced', False):          # what the app picks, then each path forced
                        r = latency(m, name, size, a.moves if fast is True else max(5, a.moves // 4), threads, fast, d, prec)
                        print(r, flush=True); rows.append(r)
                    res['latency'] = rows
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_text(json.dumps(res, indent=1) + '\n')      # after every row: a long run can be stopped
    print('wrote', out)


if __name__ == '__main__':
    main()
