"""README's picture (nbs/images/demo.png) from the bundled example and the bundled default weights: sketch | rough hint |
result | dots hint | result | no hint: result. The dots are 24 of the rough hint's colours, placed off the lines by the
loaders' `dot_hint` (seeded). From the repository root:  python weights/runs/make_demo_picture.py"""
import numpy as np, torch
from PIL import Image
from sketchcolor.inference import colorize, example_paths, side_by_side
from sketchcolor.loaders import dot_hint

sk_path, hint_path = example_paths()
sketch, rough = Image.open(sk_path).convert('L'), Image.open(hint_path).convert('RGB')
side = 160
sk_t = torch.from_numpy(np.asarray(sketch.resize((128, 128), Image.BILINEAR), dtype=np.float32) / 255)[None, None]
rough_t = torch.from_numpy(np.asarray(rough.resize((128, 128)), dtype=np.float32) / 255).permute(2, 0, 1)[None]
dots = dot_hint(rough_t, sk_t, torch.Generator().manual_seed(0), n=(24, 24))
rgba = (dots[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
dots_img = Image.fromarray(rgba, 'RGBA')
on_white = Image.alpha_composite(Image.new('RGBA', dots_img.size, 'white'), dots_img).convert('RGB')
panels = [sketch, rough, colorize(sketch, rough), on_white, colorize(sketch, dots_img), colorize(sketch, None)]
side_by_side([p.convert('RGB').resize((side, side), Image.LANCZOS) for p in panels], gap=8).save('nbs/images/demo.png', optimize=True)
print('wrote nbs/images/demo.png')
