"""The analysis chapter's real runs: `python weights/twins/make_twins.py train|limits-train` from the repository root.

train:        the 9 twins (rgb, hhsv, xyv × seeds 0-2) at TWIN_BUDGET on everything but the held-out style
limits-train: the twins of limit (iii): OpenMoji's real line art only / synthesized sketches only (hhsv × seeds 0-2)
"""
import sys, time, torch
from pathlib import Path
from sketchcolor.analysis import *
from sketchcolor.loaders import load_sources

OUT, VGG, WORK = Path('weights/twins'), 'weights/xyv_vgg.safetensors', Path('run/twins')

def main(what: str) -> None:
    torch.set_num_threads(2)
    t0 = time.time()
    if what == 'train':
        data = load_sources(twin_sources('all'), TWIN_BUDGET['size'], n_workers=2)
        print(train_twins(data, OUT, VGG, work=WORK).to_string())
    elif what == 'limits-train':
        for tag in ('real', 'synthetic'):
            data = load_sources(twin_sources(tag), TWIN_BUDGET['size'], n_workers=2)
            print(train_twins(data, OUT, VGG, spaces=('hhsv',), tag=tag, work=WORK).to_string())
    else: raise SystemExit(__doc__)
    print(f"{what}: {time.time() - t0:.0f} s", flush=True)

if __name__ == '__main__': main(sys.argv[1] if len(sys.argv) > 1 else '')
