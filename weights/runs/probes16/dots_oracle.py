"""#16 probe (python weights/runs/probes16/dots_oracle.py FILE [N_OPENMOJI]): on validation data only, where the model's
dots-hint error lies: on the lines, in paper regions holding a dot, in regions holding none; and what an oracle
that paints each dotted region its true mean colour would score. Same for the no-hint output, for comparison."""
import sys, time, torch
from scipy import ndimage
from sketchcolor.inference import load_colorizer
from sketchcolor.loaders import load_openmoji, load_clipart, split_pairs, make_hints, HELD_OUT_CLIPART
from sketchcolor.models import split_hint, region_fill
from sketchcolor.evaluate import colorize_rgb
from sketchcolor.data import cache_dir
torch.set_num_threads(2)
t0 = time.time()
m = load_colorizer(sys.argv[1], 'cpu').eval()
n = int(sys.argv[2]) if len(sys.argv) > 2 else 451
om = load_openmoji(None, 128, n_workers=2); om = om.subset(split_pairs(om)[1][:n])
ca = load_clipart(cache_dir('openclipart') / 'clean.csv', 128, n_workers=2, exclude=list(HELD_OUT_CLIPART))
ca = ca.subset(split_pairs(ca)[1])

def region_mean(sk, tgt):
    "Each paper region painted its true mean colour; labels too."
    out, labs = tgt.clone(), []
    for i in range(len(sk)):
        lab, k = ndimage.label((sk[i, 0] > 0.5).numpy()); lab = torch.from_numpy(lab).long().flatten()
        s = torch.zeros(3, k + 1).index_add_(1, lab, tgt[i].flatten(1)); c = torch.zeros(k + 1).index_add_(0, lab, torch.ones_like(lab, dtype=torch.float))
        mean = s / c.clamp_min(1); out[i] = torch.where(lab.view(1, *sk.shape[-2:]) > 0, mean[:, lab].view(3, *sk.shape[-2:]), tgt[i])
        labs.append(lab.view(sk.shape[-2:]))
    return out, torch.stack(labs)[:, None]

for name, d in (('openmoji_valid', om), ('clipart_valid', ca)):
    acc = {}
    g = torch.Generator().manual_seed(0)
    for i in range(0, len(d), 32):
        sk = d.sketch[i:i+32].float() / 255; tgt = d.color[i:i+32].float() / 255
        hint = make_hints('dots', tgt, sk, g, degrade=False)
        with torch.no_grad():
            out = colorize_rgb(m, sk, hint).clamp(0, 1); none = colorize_rgb(m, sk, make_hints('none', tgt, sk)).clamp(0, 1)
        rgb, a = split_hint(hint, sk.shape[-2:]); fill, cover = region_fill(sk, rgb, a)
        truth_mean, lab = region_mean(sk, tgt)
        line, dotted = lab == 0, (cover > 0.01) & (lab > 0)
        undotted = ~line & ~dotted
        e_dots, e_none = (out - tgt).abs().mean(1, keepdim=True), (none - tgt).abs().mean(1, keepdim=True)
        e_oracle = (torch.where(dotted, truth_mean, out) - tgt).abs().mean(1, keepdim=True)
        e_fill = (torch.where(dotted, fill, out) - tgt).abs().mean(1, keepdim=True)
        for k, v in dict(share_line=line.float(), share_dotted=dotted.float(), share_undotted=undotted.float(),
                         dots_total=e_dots, dots_line=e_dots * line, dots_dotted=e_dots * dotted, dots_undotted=e_dots * undotted,
                         none_total=e_none, none_line=e_none * line, none_dotted=e_none * dotted, none_undotted=e_none * undotted,
                         oracle_mean_in_dotted=e_oracle, fill_in_dotted=e_fill).items():
            acc.setdefault(k, []).append(v.mean((1, 2, 3)))
    print(name, len(d))
    for k, v in acc.items(): print(f'  {k:24s} {torch.cat(v).mean():.4f}')
print(f'{time.time()-t0:.0f} s')
