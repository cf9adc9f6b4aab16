"""Issue 16's acceptance points, read from weights/runs/colorizers_eval.json (written by evaluate_colorizers.py)."""
import json, sys
res = json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'weights/runs/colorizers_eval.json'))
m = res['models']['default']
row = {(r['set'], r['hint'], r['method']): r for r in m['table']}
get = lambda s, h, meth, k: row[(s, h, meth)][k]
checks = []
def check(name, value, bound, ok): checks.append((name, value, bound, ok))
ho = 'held_out'
check('held-out, drawing as hint: PSNR >= flat 8x8 + 6 dB', get(ho, 'reference', 'model', 'psnr'), get(ho, 'reference', 'flat colour 8×8', 'psnr') + 6,
      get(ho, 'reference', 'model', 'psnr') >= get(ho, 'reference', 'flat colour 8×8', 'psnr') + 6)
check('held-out, drawing as hint: colourfulness ratio >= 0.95', get(ho, 'reference', 'model', 'colorfulness_ratio'), 0.95, get(ho, 'reference', 'model', 'colorfulness_ratio') >= 0.95)
check('held-out, rough hint: PSNR >= hint + lines + 5 dB', get(ho, 'rough', 'model', 'psnr'), get(ho, 'rough', 'hint + lines', 'psnr') + 5,
      get(ho, 'rough', 'model', 'psnr') >= get(ho, 'rough', 'hint + lines', 'psnr') + 5)
for s in ('held_out', 'openmoji_valid'):
    check(f'{s}, dots: L1 <= 0.6 x no-hint L1', get(s, 'dots', 'model', 'l1'), 0.6 * get(s, 'none', 'model', 'l1'), get(s, 'dots', 'model', 'l1') <= 0.6 * get(s, 'none', 'model', 'l1'))
    check(f'{s}, no hint: colourfulness ratio >= 0.8', get(s, 'none', 'model', 'colorfulness_ratio'), 0.8, get(s, 'none', 'model', 'colorfulness_ratio') >= 0.8)
om = 'openmoji_valid'
check('OpenMoji valid, drawing as hint: PSNR >= 96 px reference + 1 dB', get(om, 'reference', 'model', 'psnr'), get(om, 'reference', 'reference 96 px (upper reference)', 'psnr') + 1,
      get(om, 'reference', 'model', 'psnr') >= get(om, 'reference', 'reference 96 px (upper reference)', 'psnr') + 1)
check('skin-tone hint obedience >= 0.9', m['hint_obedience']['obeyed_fraction'], 0.9, m['hint_obedience']['obeyed_fraction'] >= 0.9)
t, tt = m['colorize_256_seconds'], res['models']['thesis']['colorize_256_seconds']
check('colorize() at 256 px no slower than the thesis model (s)', t, tt, t <= tt)
for name, v, b, ok in checks: print(f"{'MET    ' if ok else 'NOT MET'} {name}: {v:.4f} (bound {b:.4f})")
print(f"{sum(c[3] for c in checks)}/{len(checks)} met")
