"""Driver for tests/test_distributed.py (not a test module): run one `sketchcolor` command in this process, as one
rank of a torchrun launch or alone, and record which files this rank wrote.

    python tests/distributed_run.py WRITES_DIR [--no-random] -- sketchcolor-args...

Every file sketchcolor writes goes through `sketchcolor.files.atomic_write`, which ends in `os.replace`; this driver
wraps `os.replace` and appends each destination to WRITES_DIR/rank{RANK}.txt. `--no-random` takes the random draws
out of training that a different split of the batch over processes would draw differently (the colour reference's
HueDropout, flips of the generator's and the critic's batches), so that a run on two processes and a run on one
process with the same global batch see exactly the same numbers: the comparison then measures the distributed
machinery alone.
"""
import os, sys
from functools import partial
from pathlib import Path

def main(argv):
    i = argv.index('--')
    opts, args = argv[:i], argv[i + 1:]
    writes = Path(opts[0]); writes.mkdir(parents=True, exist_ok=True)
    log = writes / f"rank{os.environ.get('RANK', '0')}.txt"
    replace = os.replace
    def logged_replace(src, dst, *a, **k):
        replace(src, dst, *a, **k)
        with open(log, 'a') as f: f.write(f'{os.path.abspath(dst)}\n')
    os.replace = logged_replace
    if '--no-random' in opts:
        import sketchcolor.models as models, sketchcolor.loaders as loaders, sketchcolor.train as train
        from fastai.vision.augment import Flip
        models.HueDropout.forward = lambda self, x: x
        loaders.aug_transforms = partial(loaders.aug_transforms, do_flip=False)
        train.Flip = partial(Flip, p=0.)
    from sketchcolor.cli import main as cli
    return cli(args)

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
