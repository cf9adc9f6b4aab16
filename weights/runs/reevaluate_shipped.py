"""Evaluate the committed weights/thesis_colorizer.safetensors (until issue 16: weights/colorizer.safetensors) from scratch (fresh data loaders, the file loaded without
pickle): validation metrics against the baselines and hint obedience, as `sketchcolor train` reports them.
Run from the repository root after `sketchcolor prepare openmoji`; ~5 min on 2 CPU cores."""
import json, torch
from sketchcolor.train import load_config, colorize_dls, evaluate, hint_obedience
from sketchcolor.models import load_model
torch.set_num_threads(2)
cfg = load_config('weights/runs/cpu_tone5/cpu_tone5.json')
dls = colorize_dls(cfg['sources'], size=cfg['size'], bs=cfg['bs'], valid_pct=cfg['valid_pct'], seed=cfg['seed'],
                   device='cpu', n_workers=2)
model = load_model('weights/thesis_colorizer.safetensors', 'Colorizer')
torch.manual_seed(cfg['seed'])
print(evaluate(model, dls).round(4).to_string(), flush=True)
print(json.dumps(hint_obedience(model, dls.data.subset(dls.valid_idx), device='cpu')))
