"Where the skin-tone hint gets lost: `tone_probe` of the shipped colorizer (and run 1's) on the OpenMoji validation split, 128 px."
import json, sys, torch
from sketchcolor.train import load_openmoji, split_pairs, tone_probe
from sketchcolor.models import load_model
torch.set_num_threads(2)
data = load_openmoji(size=128, n_workers=2)
_, valid = split_pairs(data)
vd = data.subset(valid)
out = {}
for name, path in [('shipped', 'weights/colorizer.safetensors'), ('run1_gpu', 'run/colorizer_gpu.safetensors')]:
    out[name] = tone_probe(load_model(path), vd, device='cpu')
    print(name, {k: round(v, 4) for k, v in out[name].items()}, flush=True)
json.dump(out, open('weights/runs/tone_probe.json', 'w'), indent=1)
