"""#16: on training batches (hint3's data, mix and augmentation), is the region fill + lines also better than the
shipped model, per hint kind? Hints are made per kind on the augmented batch the way SynthesizeHints makes them. From the repository root:
    python weights/runs/probes16/train_batch_probe.py [plain] [nodegrade] [openmoji]   (plain: no augmentation; about 2 min)"""
import sys, torch, time
import torch.nn.functional as F
from sketchcolor.loaders import colorize_dls, make_hints
from sketchcolor.inference import load_colorizer
from sketchcolor.evaluate import colorize_rgb, psnr, _lines_over
from sketchcolor.models import region_fill
torch.set_num_threads(2); torch.manual_seed(0)
srcs = [dict(kind='openmoji')] if 'openmoji' in sys.argv else [dict(kind='openmoji'), dict(kind='openmoji_synth'),
        dict(kind='clipart', exclude=['animals', 'food', 'plants', 'buildings', 'transportation'])]
dls = colorize_dls(srcs, size=128, bs=32, valid_pct=0.1, seed=42, device='cpu', n_workers=2,
                   hints=dict(reference=0.3, rough=0.25, dots=0.25, none=0.2),
                   **(dict(max_rotate=0., max_warp=0., max_zoom=1., max_lighting=0., degrade=False) if 'plain' in sys.argv else dict(degrade='nodegrade' not in sys.argv)))
m = load_colorizer('default', 'cpu').eval()
acc = {}
g = torch.Generator().manual_seed(0)
with torch.no_grad():
    for i, (sk, hint, tgt) in enumerate(dls.train):
        if i == 8: break
        sk, tgt = sk.float(), tgt.float()
        assert tgt.shape[1] == 3 and 0 <= tgt.min() and tgt.max() <= 1
        for kind in ('reference', 'rough', 'dots', 'none'):
            h = make_hints(kind, tgt, sk, g)
            outs = dict(model=colorize_rgb(m, sk, h).clamp(0, 1), fill=_lines_over(region_fill(sk, h[:, :3], h[:, 3:])[0], sk),
                        white=_lines_over(torch.ones_like(tgt), sk),
                        adaptive=_lines_over(torch.cat([region_fill(sk[j:j+1], h[j:j+1, :3], h[j:j+1, 3:], ink=float(1 - 0.5 * (1 - sk[j].amin())))[0] for j in range(len(sk))]), sk),
                        adaptive_close1=_lines_over(torch.cat([region_fill(-F.max_pool2d(-sk[j:j+1], 3, 1, 1), h[j:j+1, :3], h[j:j+1, 3:], ink=float(1 - 0.5 * (1 - sk[j].amin())))[0] for j in range(len(sk))]), sk),
                        **{f'close{c}': _lines_over(region_fill(-F.max_pool2d(-sk, 2 * c + 1, 1, c), h[:, :3], h[:, 3:])[0], sk) for c in (1, 2)})
            for k, o in outs.items(): acc.setdefault((kind, k), []).append(float(psnr(o, tgt).mean()))
for (kind, k), v in acc.items(): print(f'{kind:9s} {k:6s} PSNR {sum(v) / len(v):.2f}')
