"""Experiment (not a library feature yet): does a skin-tone-weighted MSE on family batches make the decoder follow z?
Fine-tunes the shipped colorizer at 128 px with its UNet encoder frozen (features cached), BatchNorm statistics frozen,
HueDropout on; each batch = NF whole skin-tone families + MIXN other drawings; loss = Eq 5.1 + W x MSE on the pixels
where a family's colourings differ. Prints skin move (lightest vs darkest hint, 15 validation families), own-hint vs
other-hint skin error of the lightest variant, and PSNR on 64 validation pictures.
usage: python weights/runs/tone_weighted_probe.py WEIGHTS MINUTES LR NF MIXN W"""
import torch, time, sys, numpy as np, random
from torch import nn
from sketchcolor.train import *
from sketchcolor.losses import ColorizerLoss
from sketchcolor.models import load_model
torch.set_num_threads(2); torch.manual_seed(0); random.seed(0); np.random.seed(0)
MIN=float(sys.argv[2]); LR=float(sys.argv[3]); NF=int(sys.argv[4]); MIXN=int(sys.argv[5])
data = load_openmoji(size=128, n_workers=2)
tr, va = split_pairs(data); vd, td = data.subset(va), data.subset(tr)
g = load_model(sys.argv[1])
def skin_move(g, vd, n=15):
    g.eval(); items = vd.items.reset_index(drop=True); has = items.skintone.astype(str).str.len()>0
    dm, err_r, err_w = [], [], []
    with torch.no_grad():
        for base, grp in list(items[has].groupby('base'))[:n]:
            idx = torch.as_tensor(grp.index.to_numpy()); col = vd.color[idx].float()/255; sk = vd.sketch[idx].float()/255
            skin = (col.amax(0)-col.amin(0)).amax(0) > 0.1
            a = output_to_rgb(g(sk[:1], col[:1])[0],'hhsv'); b = output_to_rgb(g(sk[:1], col[-1:])[0],'hhsv')
            dm.append(float((a-b).abs().mean(1)[0][skin].mean()))
            err_r.append(float((a-col[:1]).abs().mean(1)[0][skin].mean())); err_w.append(float((b-col[:1]).abs().mean(1)[0][skin].mean()))
    g.train(); return round(np.mean(dm),4), round(np.mean(err_r),4), round(np.mean(err_w),4)
def val_psnr(g, vd, n=64):
    g.eval()
    with torch.no_grad():
        col = vd.color[:n].float()/255; sk = vd.sketch[:n].float()/255
        p = output_to_rgb(g(sk, col)[0],'hhsv'); r = float(psnr(p, col).mean())
    g.train(); return round(r,3)

items = td.items.reset_index(drop=True); has = items.skintone.astype(str).str.len()>0
fams = [grp.index.to_numpy() for b, grp in items[has].groupby('base') if len(grp)>=2]
others = items[~has].index.to_numpy()
g.unet.enc1.eval().requires_grad_(False); g.unet.enc2.eval().requires_grad_(False)
t=time.time()
with torch.no_grad():
    E1, E2 = [], []
    for i in range(0, len(td), 64):
        sk = td.sketch[i:i+64].float()/255; e1 = g.unet.enc1(sk); E1.append(e1.half()); E2.append(g.unet.enc2(e1).half())
    E1, E2 = torch.cat(E1), torch.cat(E2)
print('cached', E1.shape, E2.shape, time.time()-t, flush=True)
params = [p for p in g.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=LR, betas=(0.9, 0.99))
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1, (s+1)/20))
loss_fn = ColorizerLoss('hhsv')
def fwd(idx):
    col = td.color[idx].float()/255; sk = td.sketch[idx].float()/255
    z = g.zencoder(col); zmap = g.zdecoder(z); u = g.unet
    e2 = E2[idx].float(); e1 = E1[idx].float()
    zm = torch.nn.functional.interpolate(zmap, size=e2.shape[-2:], mode='bilinear', align_corners=False)
    d1 = u.dec1(torch.cat([e2, zm], 1)); d2 = u.dec2(torch.cat([d1, e1], 1)); out = u.dec3(torch.cat([d2, sk], 1))
    return (out, zmap[:, :4]), col
W=float(sys.argv[6])
def wloss(preds, col, nf):
    base = loss_fn(preds, col)
    out = preds[0]; y = rgb_to_space(col, 'hhsv')
    fam = col[:nf*5].view(nf, 5, 3, *col.shape[-2:])
    spread = ((fam.amax(1) - fam.amin(1)).amax(1) > 0.1).float()      # (nf, H, W)
    m = spread.repeat_interleave(5, 0)[:, None]
    se = ((out[:nf*5] - y[:nf*5])**2 * m).sum() / (m.sum()*out.shape[1] + 1)
    return base + W * se
from sketchcolor.losses import rgb_to_space
print('start', skin_move(g, vd), val_psnr(g, vd), flush=True)
from sketchcolor.models import HueDropout
def freeze_bn(g):
    g.eval()
    for m in g.modules():
        if isinstance(m, HueDropout): m.train()
_orig_sm, _orig_vp = skin_move, val_psnr
skin_move = lambda g, vd: (_orig_sm(g, vd), freeze_bn(g))[0]
val_psnr = lambda g, vd: (_orig_vp(g, vd), freeze_bn(g))[0]
freeze_bn(g)
t0=time.time(); step=0
while time.time()-t0 < MIN*60:
    f = random.sample(fams, NF); idx = np.concatenate([x[:5] for x in f] + [np.random.choice(others, MIXN, replace=False)])
    idx = torch.as_tensor(idx); preds, col = fwd(idx)
    loss = wloss(preds, col, NF); opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step+=1
    if step % 30 == 0: print(step, round(time.time()-t0), 'loss', round(loss.item(),4), 'move/right/wrong', skin_move(g, vd), 'psnr', val_psnr(g, vd), flush=True)
print('end', step, skin_move(g, vd), val_psnr(g, vd))

