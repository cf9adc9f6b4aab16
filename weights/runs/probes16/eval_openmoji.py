"""#16 probes: a candidate colorizer measured on the OpenMoji validation split only (the held-out style untouched), the
hints of `evaluate_hints`. From the repository root:  python weights/runs/probes16/eval_openmoji.py FILE.safetensors"""
import sys, time, torch
from sketchcolor.inference import load_colorizer
from sketchcolor.evaluate import eval_sets, evaluate_hints, hints_markdown
torch.set_num_threads(2)
t0 = time.time()
m = load_colorizer(sys.argv[1], 'cpu')
print(hints_markdown(evaluate_hints(m, {'openmoji_valid': eval_sets(128, n_workers=2)['openmoji_valid']}, progress=False)))
print(f'{time.time() - t0:.0f} s')
