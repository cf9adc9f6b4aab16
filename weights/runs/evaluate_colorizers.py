"""Issue 16: both shipped colorizers measured the same way, at 128 px: `evaluate_hints` (OpenMoji validation split and
the held-out clip-art categories; hints: the drawing, rough, dots, none; PSNR, L1, colourfulness and saturation ratios,
standard FID) with the baselines, skin-tone hint obedience on the OpenMoji validation split, parameters and the
`colorize()` time at 256 px (fp32, 2 threads). Writes weights/runs/colorizers_eval.json (one entry per model, merged
into the file) and prints the tables. Run from the repository root after `sketchcolor prepare openmoji` and
`sketchcolor prepare openclipart`:  python weights/runs/evaluate_colorizers.py [default] [thesis] [NAME=FILE] [--quick] [--out FILE]
(about 5 min per model on 2 CPU cores; FID of the models' outputs on the held-out style only)."""
import json, os, sys, time
from pathlib import Path
import torch
import pandas as pd
from sketchcolor.evaluate import eval_sets, evaluate_hints, hint_obedience, hints_markdown
from sketchcolor.inference import load_colorizer, time_colorize
from sketchcolor.models import n_params
from sketchcolor.files import write_atomic

torch.set_num_threads(int(os.environ.get('THREADS', 2)))
argv = sys.argv[1:]
quick = '--quick' in argv                              # a smoke test of this script: 24 images per set, no FID
out = Path(argv[argv.index('--out') + 1]) if '--out' in argv else Path('weights/runs/colorizers_eval.json')
# a model by name ('default', 'thesis') or as NAME=PATH (a candidate measured before it is shipped)
models = dict(a.split('=', 1) if '=' in a else (a, a) for a in argv if a in ('default', 'thesis') or '=' in a) or {'default': 'default', 'thesis': 'thesis'}
names = list(models)
t0 = time.perf_counter()
sets = eval_sets(128)
if quick: sets = {k: v.subset(range(24)) for k, v in sets.items()}
res = json.loads(out.read_text()) if out.exists() else {}
res.update(size=128, n_images={k: len(v) for k, v in sets.items()})
res.setdefault('models', {})
for name in names:
    t1 = time.perf_counter()
    m = load_colorizer(models[name], 'cpu')
    # FID (InceptionV3 at 299 px) is what costs here: only of the models' outputs on the held-out style
    table = pd.concat([evaluate_hints(m, {k: v}, fid=not quick and k == 'held_out', fid_methods=('model',), progress=False)
                       for k, v in sets.items()])
    print(f'## {name}: {type(m).__name__}({m.config})\n' + hints_markdown(table), flush=True)
    res['models'][name] = dict(cls=type(m).__name__, config=m.config, n_params=n_params(m),
                               colorize_256_seconds=round(time_colorize(m, 256, repeats=2 if quick else 7, precision='fp32'), 4),
                               hint_obedience=hint_obedience(m, sets['openmoji_valid'], 'cpu'),
                               table=table.reset_index().to_dict('records'), seconds=round(time.perf_counter() - t1, 1),
                               measured=time.strftime('%Y-%m-%d %H:%M:%S %Z'))
    print(name, res['models'][name]['hint_obedience'], res['models'][name]['colorize_256_seconds'], flush=True)
write_atomic(out, json.dumps(res, indent=1))
print(f'wrote {out} in {time.perf_counter() - t0:.0f} s')
