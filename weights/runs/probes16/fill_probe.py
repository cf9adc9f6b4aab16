"""Diagnostic for #16 (from the repository root: python weights/runs/probes16/fill_probe.py; 618 s) on the OpenMoji validation split only (held-out style untouched): how good is the parameter-free
region fill itself for dots/rough hints, and does closing small gaps in the lines (dilating the ink before labelling)
make it better? Compares the shipped default's L1/PSNR with the fill + lines."""
import torch, torch.nn.functional as F, numpy as np, time
from sketchcolor.evaluate import eval_sets, method_outputs, colorize_rgb, psnr, _lines_over
from sketchcolor.inference import load_colorizer
from sketchcolor.models import region_fill
torch.set_num_threads(1)
t0 = time.time()
data = eval_sets(128, n_workers=1)['openmoji_valid']
m = load_colorizer('default', 'cpu').eval()
def fill_method(close):
    def f(s, h):
        rgb, a = h[:, :3], h[:, 3:]
        ink = s
        if close: ink = -F.max_pool2d(-s, 2 * close + 1, 1, close)     # dilate the dark lines by `close` px
        fill, cover = region_fill(ink, rgb, a)
        return _lines_over(fill, s)
    return f
methods = {'model': lambda s, h: colorize_rgb(m, s, h), 'fill': fill_method(0), 'fill close1': fill_method(1), 'fill close2': fill_method(2)}
tgt = data.color.float() / 255
for kind in ('dots', 'rough', 'none'):
    outs = method_outputs(methods if kind != 'none' else {'model': methods['model']}, data, kind)
    for k, o in outs.items():
        print(f'{kind:6s} {k:12s} L1 {float((o - tgt).abs().mean()):.4f}  PSNR {float(psnr(o, tgt).mean()):.2f}', flush=True)
print(f'{time.time() - t0:.0f} s')
