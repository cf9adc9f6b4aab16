"""How large is the colour term's gradient next to Eq 5.2's and the skin term's? On run 4's weights (run/cpu_tone2/,
the start of runs 6 and 7), 8 training batches of the cpu_tone2 setup, BatchNorm frozen as in the tone phase.
Prints, per batch: the Eq 5.2 loss, 40 × skin MSE, the batch colourfulness ratio r, and the L2 norms of the gradients
(over the trained, i.e. non-encoder, parameters) of each. Run from the repository root; ~2 min on 2 cores."""
import torch
from sketchcolor.train import load_config, load_sources, colorize_dls, colorizer_learner, ToneFamilies
from sketchcolor.models import load_model
torch.set_num_threads(2); torch.manual_seed(0)
data = load_sources(load_config('weights/runs/cpu_tone2/cpu_tone2.json')['sources'], size=128, n_workers=2, device='cpu')
dls = colorize_dls(data, size=128, bs=8, valid_pct=0.1, seed=42, device='cpu', n_workers=2)
model = load_model('run/cpu_tone2/colorizer.safetensors', 'Colorizer')
tf = ToneFamilies(n_families=2, weight=40., colour_weight=1.)   # its after_loss computes the skin MSE and r
learn = colorizer_learner(dls, model, 'perceptual', vgg='weights/xyv_vgg.safetensors', path='/tmp/colour_grad_probe', cbs=[tf])
params = [p for n, p in model.named_parameters() if not n.startswith(('unet.enc1', 'unet.enc2'))]
def grad_norm(t): return float(sum((g ** 2).sum() for g in torch.autograd.grad(t, params, retain_graph=True, allow_unused=True) if g is not None).sqrt())
learn.training = True; model.train(); tf.before_fit(); tf.before_train()
for i, (sk, hint, y) in enumerate(dls.train):
    if i == 8: break
    learn.xb, learn.yb = (sk, hint), (y,)
    tf.before_batch()
    learn.pred = model(*learn.xb)
    base = learn.loss_grad = learn.loss_func(learn.pred, *learn.yb)
    tf.after_loss()
    skin, r = tf.weight * tf.tone_mse, tf.colour_ratio
    print(f'batch {i}: eq5.2 {base.item():.3f} skin {skin.item():.3f} r {r.item():.3f} | grad eq5.2 {grad_norm(base):.1f} '
          f'skin {grad_norm(skin):.1f} r {grad_norm(r):.1f}', flush=True)
