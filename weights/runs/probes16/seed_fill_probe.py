"""#16 probe (python weights/runs/probes16/seed_fill_probe.py FILE): on validation data only, how well fills grown from
the dots match the target, per part of the picture (lines, regions holding a dot, regions holding none), against the
model's own output: the region mean (the model's input now), the nearest dot within the region, a watershed from the dots,
`seeded_fill` (alone, with the lines drawn in, and that over the model's output by its alpha)."""
import sys, time, torch, numpy as np
from scipy import ndimage
from sketchcolor.inference import load_colorizer
from sketchcolor.loaders import load_openmoji, load_clipart, split_pairs, make_hints, HELD_OUT_CLIPART
from sketchcolor.models import split_hint, region_fill, seeded_fill
from sketchcolor.evaluate import colorize_rgb
from sketchcolor.data import cache_dir
torch.set_num_threads(2)
t0 = time.time()
m = load_colorizer(sys.argv[1], 'cpu').eval()
om = load_openmoji(None, 128, n_workers=2); om = om.subset(split_pairs(om)[1])
ca = load_clipart(cache_dir('openclipart') / 'clean.csv', 128, n_workers=2, exclude=list(HELD_OUT_CLIPART))
ca = ca.subset(split_pairs(ca)[1])

def seed_fills(sk, rgb, a):
    "Per image: (nearest dot in the same region, watershed from the dots over the ink) as RGB (3,H,W)."
    paper = sk[0].numpy() > 0.5
    lab, _ = ndimage.label(paper)
    dots, nd = ndimage.label(a[0].numpy() > 0.5)
    col = rgb.numpy()
    near = np.ones_like(col)
    for r in np.unique(lab[dots > 0]):
        if r == 0: continue
        seeds = (dots > 0) & (lab == r)
        _, idx = ndimage.distance_transform_edt(~seeds, return_indices=True)
        inr = lab == r
        near[:, inr] = col[:, idx[0][inr], idx[1][inr]]
    cost = np.clip((1 - sk[0].numpy()) * 255, 0, 255).astype(np.uint8)
    ws = ndimage.watershed_ift(cost, dots.astype(np.int32))
    centre = np.array([col[:, dots == k].mean(1) for k in range(1, nd + 1)]).T if nd else np.ones((3, 1))
    shed = centre[:, np.clip(ws - 1, 0, None)] if nd else np.ones_like(col)
    return torch.from_numpy(near), torch.from_numpy(shed.astype(np.float32)), torch.from_numpy(lab)

for name, d in (('openmoji_valid', om), ('clipart_valid', ca)):
    acc = {}
    g = torch.Generator().manual_seed(0)
    for i in range(0, len(d), 32):
        sk = d.sketch[i:i+32].float() / 255; tgt = d.color[i:i+32].float() / 255
        hint = make_hints('dots', tgt, sk, g, degrade=False)
        with torch.no_grad(): out = colorize_rgb(m, sk, hint).clamp(0, 1)
        rgb, a = split_hint(hint, sk.shape[-2:]); fill, cover = region_fill(sk, rgb, a)
        near, shed, lab = zip(*[seed_fills(sk[j], rgb[j], a[j]) for j in range(len(sk))])
        near, shed, lab = torch.stack(near), torch.stack(shed), torch.stack(lab)[:, None]
        line, dotted = lab == 0, (cover > 0.01) & (lab > 0)
        undotted = ~line & ~dotted
        seeded, s_cover = seeded_fill(sk, rgb, a)
        for src, o in dict(model=out, region_mean=fill, nearest_dot=near, watershed=shed, watershed_lines=shed * sk,
                           seeded_fill=seeded, seeded_lines=seeded * sk, seeded_lines_over_model=s_cover * seeded * sk + (1 - s_cover) * out).items():
            e = (o - tgt).abs().mean(1, keepdim=True)
            for part, msk in dict(line=line, dotted=dotted, undotted=undotted).items():
                acc.setdefault(f'{src:16s} {part}', []).append((e * msk).mean((1, 2, 3)))
    print(name, len(d))
    for k, v in acc.items(): print(f'  {k:26s} {torch.cat(v).mean():.4f}')
print(f'{time.time()-t0:.0f} s')
