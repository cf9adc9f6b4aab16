"""README's picture (nbs/images/demo.png) from the bundled example and the bundled default weights: sketch | rough hint |
result | dots hint | result | no hint: result. The dots are 24 of the rough hint's colours, placed off the lines by the
loaders' `dot_hint` (seeded). From the repository root:  python weights/runs/make_demo_picture.py"""
import torch
from PIL import Image
from sketchcolor.inference import colorize, example_paths, read_image, read_sketch, save_image, side_by_side, to_pil
from sketchcolor.loaders import dot_hint

sk_path, hint_path = example_paths()
sketch, rough = Image.open(sk_path), Image.open(hint_path)
small_sketch = read_sketch(sketch.convert('L').resize(rough.size, Image.BILINEAR))      # the hint's 128 px
dots = dot_hint(read_image(rough), small_sketch, torch.Generator().manual_seed(0), n=(24, 24))[0]   # RGBA, white where no dot
dots_img = Image.fromarray((dots.permute(1, 2, 0).numpy() * 255).round().astype('uint8'), 'RGBA')
panels = [sketch, rough, colorize(sketch, rough), to_pil(dots[:3]), colorize(sketch, dots_img), colorize(sketch, None)]
print('wrote', save_image(side_by_side(panels, height=160), 'nbs/images/demo.png'))
