"""#16 probe (python weights/runs/probes16/blend_probe.py FILE [N_OPENMOJI] [THREADS]): on validation data only (OpenMoji valid, clip-art valid of the *training* categories), how the model's
output compares with its own region-fill input and fixed blends of the two, per hint kind."""
import sys, time, torch, numpy as np
from sketchcolor.inference import load_colorizer
from sketchcolor.loaders import load_openmoji, load_clipart, split_pairs, make_hints, HELD_OUT_CLIPART
from sketchcolor.models import split_hint, region_fill
from sketchcolor.evaluate import psnr, colorize_rgb
from sketchcolor.data import cache_dir
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
t0 = time.time()
m = load_colorizer(sys.argv[1], 'cpu').eval()
n = int(sys.argv[2]) if len(sys.argv) > 2 else 256
om = load_openmoji(None, 128, n_workers=2); om = om.subset(split_pairs(om)[1][:n])
ca = load_clipart(cache_dir('openclipart') / 'clean.csv', 128, n_workers=2, exclude=list(HELD_OUT_CLIPART))
ca = ca.subset(split_pairs(ca)[1])
print(f'data {time.time()-t0:.0f} s: {len(om)} OpenMoji valid, {len(ca)} clip-art valid (training categories)')
for name, d in (('openmoji_valid', om), ('clipart_valid', ca)):
    for kind in ('rough', 'dots', 'none'):
        g = torch.Generator().manual_seed(0); res = {}
        for i in range(0, len(d), 32):
            sk = d.sketch[i:i+32].float() / 255; tgt = d.color[i:i+32].float() / 255
            hint = make_hints(kind, tgt, sk, g, degrade=False)
            with torch.no_grad(): out = colorize_rgb(m, sk, hint).clamp(0, 1)
            rgb, a = split_hint(hint, sk.shape[-2:]); fill, cover = region_fill(sk, rgb, a)
            fill_l = fill * sk
            outs = {'model': out, 'hint+lines': rgb * sk, 'fill+lines': fill_l,
                    'cover blend': cover * fill_l + (1 - cover) * out,
                    'cover^2 blend': cover**2 * fill_l + (1 - cover**2) * out,
                    'half blend': 0.5 * (cover * fill_l + (1 - cover) * out) + 0.5 * out}
            for k, o in outs.items():
                r = res.setdefault(k, [[], []]); r[0].append(psnr(o, tgt)); r[1].append((o - tgt).abs().mean((1, 2, 3)))
        for k, (p, l) in res.items(): print(f'{name:15s} {kind:6s} {k:14s} PSNR {torch.cat(p).mean():6.2f}  L1 {torch.cat(l).mean():.4f}')
print(f'{time.time()-t0:.0f} s')
