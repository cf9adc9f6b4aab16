"""Issue 16: both shipped colorizers measured the same way, at 128 px: `evaluate_hints` (OpenMoji validation split and
the held-out clip-art categories; hints: the drawing, rough, dots, none; PSNR, L1, colourfulness and saturation ratios,
standard FID) with the baselines, skin-tone hint obedience on the OpenMoji validation split, parameters and the
`colorize()` time at 256 px. Writes weights/runs/colorizers_eval.json and prints the acceptance points.
Run from the repository root after `sketchcolor prepare openmoji` and `sketchcolor prepare openclipart`
(about 20 min on 2 CPU cores)."""
import json, sys, time
from pathlib import Path
import torch
from sketchcolor.evaluate import eval_sets, evaluate_hints, hint_obedience, hints_markdown
from sketchcolor.inference import load_colorizer, time_colorize
from sketchcolor.models import n_params
from sketchcolor.files import write_atomic

torch.set_num_threads(2)
out = Path(sys.argv[1] if len(sys.argv) > 1 else 'weights/runs/colorizers_eval.json')
t0 = time.perf_counter()
sets = eval_sets(128)
print({k: len(v) for k, v in sets.items()}, flush=True)
res = dict(size=128, n_images={k: len(v) for k, v in sets.items()}, models={})
for name in ('default', 'thesis'):
    m = load_colorizer(name, 'cpu')
    table = evaluate_hints(m, sets, fid=True, fid_methods=None if name == 'default' else ('model',), progress=False)   # the baselines' FID once
    print(f'## {name}: {type(m).__name__}({m.config})\n' + hints_markdown(table), flush=True)
    res['models'][name] = dict(cls=type(m).__name__, config=m.config, n_params=n_params(m),
                               colorize_256_seconds=round(time_colorize(m, 256, repeats=7, precision='fp32'), 4),
                               hint_obedience=hint_obedience(m, sets['openmoji_valid'], 'cpu'),
                               table=table.reset_index().to_dict('records'))
    print(name, res['models'][name]['hint_obedience'], res['models'][name]['colorize_256_seconds'], flush=True)
res['seconds'] = round(time.perf_counter() - t0, 1)
write_atomic(out, json.dumps(res, indent=1))
print(f'wrote {out} in {res["seconds"]} s')
