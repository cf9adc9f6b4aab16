"""Where the skin-tone hint gets lost: `tone_probe` of each colorizer run on the OpenMoji validation split, 128 px.
Run 1: git show 40d3bf8:weights/colorizer.safetensors > run/colorizer_gpu.safetensors; run 2 (shipped until run 6):
git show 957fbd5:weights/colorizer.safetensors > run/colorizer_run2_cpu.safetensors; runs 3-7 (tone phases):
run/cpu_tone*/ as written by `sketchcolor train` (see weights/README.md). Missing files are skipped."""
import json, sys, torch
from pathlib import Path
from sketchcolor.train import load_openmoji, split_pairs, tone_probe
from sketchcolor.models import load_model
torch.set_num_threads(2)
data = load_openmoji(size=128, n_workers=2)
_, valid = split_pairs(data)
vd = data.subset(valid)
out = {}
for name, path in [('run 1 (GPU)', 'run/colorizer_gpu.safetensors'), ('run 2 (CPU)', 'run/colorizer_run2_cpu.safetensors'),
                   ('run 3 (tone W 5)', 'run/cpu_tone/colorizer.safetensors'), ('run 4 (tone W 40)', 'run/cpu_tone2/colorizer.safetensors'),
                   ('run 5 (tone W 15)', 'run/cpu_tone3/colorizer.safetensors'),
                   ('run 6 (W 40 + colour floor 1.0)', 'run/cpu_tone4/colorizer.safetensors'),
                   ('run 7 (W 40 + colour floor 0.9)', 'run/cpu_tone5/colorizer.safetensors')]:
    if not Path(path).exists(): print(f'{path}: missing, skipped'); continue
    out[name] = tone_probe(load_model(path), vd, device='cpu')
    print(name, {k: round(v, 4) for k, v in out[name].items()}, flush=True)
json.dump(out, open('weights/runs/tone_probe.json', 'w'), indent=1)
