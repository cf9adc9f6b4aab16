"""#16 probe (OpenMoji validation only, the held-out style untouched): fine-tune only the hint gate of the shipped
default (4,922 parameters; UNet frozen and in eval mode) with hint3's data and hint mix for PCT of an epoch at LR, then
evaluate on OpenMoji validation. --uncapped: first give the gate a third source, the region fill over white, whose
weight is NOT capped by the fill's cover (so "fill + lines" becomes reachable); grown from the shipped default (new
logit channel zero-weighted, bias -6). From the repository root:
    python weights/runs/probes16/gate_probe.py PCT LR [--uncapped]     (0.3 3e-3: 136 s training; 0.5 3e-3 --uncapped: 213 s)"""
import sys, time, types
from pathlib import Path
import torch, torch.nn as nn
from fastai.callback.core import Callback
from fastai.callback.training import ShortEpochCallback
from sketchcolor.loaders import colorize_dls
from sketchcolor.train import colorizer_learner
from sketchcolor.inference import load_colorizer
from sketchcolor.evaluate import eval_sets, evaluate_hints, hints_markdown
from sketchcolor.colors import rgb_to_space
torch.set_num_threads(2); torch.manual_seed(0)
pct, lr, uncapped = float(sys.argv[1]), float(sys.argv[2]), '--uncapped' in sys.argv
m = load_colorizer('default', 'cpu')
out = Path('run/probes16') / ('uncapped' if uncapped else 'gate')
if uncapped:
    old = m.skip_gate[-1]
    new = nn.Conv2d(old.in_channels, 3, 3, padding=1)
    with torch.no_grad():
        new.weight.zero_(); new.weight[:2] = old.weight; new.bias[:2] = old.bias; new.bias[2] = -6.
    m.skip_gate[-1] = new
    def _finish(self, out, x):
        rgb_h, a_h = x[:, 1:4] + 1 - x[:, 4:5], x[:, 4:5]
        rgb_f, a_f = x[:, 5:8] + 1 - x[:, 8:9], x[:, 8:9]
        logits = self.skip_gate(torch.cat([out, x], 1)).float()
        caps = torch.cat([torch.ones_like(a_h), a_h, a_f, torch.ones_like(a_f)], 1).float()
        w = caps * torch.softmax(torch.cat([torch.zeros_like(logits[:, :1]), logits], 1), 1)
        w = w / w.sum(1, keepdim=True)
        srcs = [rgb_to_space(r.float().clamp(0, 1), self.out_space) for r in (rgb_h, rgb_f, rgb_f)]   # rgb_f: fill over white
        return out.float() * w[:, :1] + sum(s * w[:, k + 1:k + 2] for k, s in enumerate(srcs))
    m._finish = types.MethodType(_finish, m)
    with torch.no_grad():
        s = torch.rand(2, 1, 64, 64); h = torch.rand(2, 4, 64, 64)
        print('grown vs shipped at start, max |d|:', float((m(s, h)[0] - load_colorizer('default', 'cpu')(s, h)[0]).abs().max()))
t0 = time.time()
srcs = [dict(kind='openmoji'), dict(kind='openmoji_synth'),
        dict(kind='clipart', exclude=['animals', 'food', 'plants', 'buildings', 'transportation'])]
dls = colorize_dls(srcs, size=128, bs=16, valid_pct=0.1, seed=42, device='cpu', n_workers=2,
                   hints=dict(reference=0.3, rough=0.25, dots=0.25, none=0.2))
for n, p in m.named_parameters(): p.requires_grad_(n.startswith('skip_gate'))
class FrozenBody(Callback):
    order = 1
    def before_batch(self): self.model.eval()
learn = colorizer_learner(dls, m, 'mse', path=out, name=out.name, mixed_precision=None,
                          cbs=[FrozenBody(), ShortEpochCallback(pct, short_valid=False)])
learn.fit(1, lr)
print(f'trained {time.time() - t0:.0f} s', flush=True)
m.eval(); torch.save(m.skip_gate.state_dict(), out / 'gate.pt')
sets = {'openmoji_valid': eval_sets(128, n_workers=2)['openmoji_valid']}
print(hints_markdown(evaluate_hints(m, sets, progress=False)), flush=True)
print(f'{time.time() - t0:.0f} s')
