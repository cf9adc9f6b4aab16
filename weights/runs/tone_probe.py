"""Where the skin-tone hint gets lost: `tone_probe` of the shipped colorizer and the earlier runs on the OpenMoji validation split, 128 px.
Run 1: git show 40d3bf8:weights/colorizer.safetensors > run/colorizer_gpu.safetensors; runs 3 and 4 (tone phases, not
shipped): run/cpu_tone/ and run/cpu_tone2/ as written by `sketchcolor train` (see weights/README.md)."""
import json, sys, torch
from pathlib import Path
from sketchcolor.train import load_openmoji, split_pairs, tone_probe
from sketchcolor.models import load_model
torch.set_num_threads(2)
data = load_openmoji(size=128, n_workers=2)
_, valid = split_pairs(data)
vd = data.subset(valid)
out = {}
for name, path in [('shipped (run 2)', 'weights/colorizer.safetensors'), ('run 1 (GPU)', 'run/colorizer_gpu.safetensors'),
                   ('run 3 (tone W 5)', 'run/cpu_tone/colorizer.safetensors'), ('run 4 (tone W 40)', 'run/cpu_tone2/colorizer.safetensors')]:
    if not Path(path).exists(): print(f'{path}: missing, skipped'); continue
    out[name] = tone_probe(load_model(path), vd, device='cpu')
    print(name, {k: round(v, 4) for k, v in out[name].items()}, flush=True)
json.dump(out, open('weights/runs/tone_probe.json', 'w'), indent=1)
