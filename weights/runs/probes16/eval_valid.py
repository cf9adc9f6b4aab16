"""#16 probes: a candidate colorizer on validation data only, never the held-out style: OpenMoji's validation split and
the validation split of the clip art of the *training* categories (split as `colorize_dls` splits it), the hints of
`evaluate_hints`. From the repository root:
    python weights/runs/probes16/eval_valid.py FILE.safetensors [openmoji_valid,clipart_valid]"""
import sys, time, torch
from sketchcolor.inference import load_colorizer
from sketchcolor.data import cache_dir
from sketchcolor.loaders import load_openmoji, load_clipart, split_pairs, HELD_OUT_CLIPART
from sketchcolor.evaluate import evaluate_hints, hints_markdown
torch.set_num_threads(2)
t0 = time.time()
m = load_colorizer(sys.argv[1], 'cpu')
names = sys.argv[2].split(',') if len(sys.argv) > 2 else ['openmoji_valid', 'clipart_valid']
sets = {}
if 'openmoji_valid' in names:                      # as `eval_sets` splits it, without loading the held-out style
    om = load_openmoji(None, 128, n_workers=2)
    sets['openmoji_valid'] = om.subset(split_pairs(om)[1])
if 'clipart_valid' in names:
    ca = load_clipart(cache_dir('openclipart') / 'clean.csv', 128, n_workers=2, exclude=list(HELD_OUT_CLIPART))
    sets['clipart_valid'] = ca.subset(split_pairs(ca)[1])
print(', '.join(f'{k}: {len(v)} pairs' for k, v in sets.items()))
print(hints_markdown(evaluate_hints(m, sets, progress=False)))
print(f'{time.time() - t0:.0f} s')
