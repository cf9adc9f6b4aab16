"""Fault injection for the kill tests (not a test module): run `sketchcolor` commands in forked children and kill
them with SIGKILL at chosen moments.

    python tests/faults.py PLAN.json REPORT.json

PLAN.json is {"import": [modules], "runs": [{"argv": [...], "kill": SPEC or null, "log": path, "timeout": s}, ...]}
(optional per run: "err", a separate file for stderr; "cwd").
This process imports the modules once (importing fastai takes seconds, a fork takes milliseconds) and then, for
each run in turn, forks a child that installs the fault SPEC and calls `sketchcolor.cli.main(argv)`. The child is
the leader of its own process group, so a kill takes its worker processes with it. REPORT.json gets, per run,
how it ended: {"status": "killed" | "exit", "code": exit code, "seconds": wall time, "kill": SPEC}.

SPEC, the moment of the kill:
  {"kind": "time", "after": s}                          s seconds after the start (killed from outside)
  {"kind": "batch", "stage": S, "epoch": e, "iter": i}  as fastai starts training batch i of epoch e of stage S
  {"kind": "write", "name": N, "nth": k, "at": "mid"}   during the k-th `write()` call on the temporary file of N
                                                        (half of that call's data written), or at its rename if
                                                        fewer calls are made
  {"kind": "write", "name": N, "at": "rename"}          the file N complete under its temporary name, not renamed
      N is a file name or a glob ('*.png'); "count": c picks the c-th matching file this process writes (default 1)
  {"kind": "enter", "func": F, "nth": k}                as sketchcolor.train.F is called for the k-th time
  {"kind": "gan_step", "step": k}                       after stage 3's k-th optimizer step, before anything is saved
The "k-th" counts are per process: after a resume they count what this process does.
"""
import json, os, signal, sys, time
from pathlib import Path


def die():
    "SIGKILL this process and its process group, now."
    try:
        sys.stdout.flush(); sys.stderr.flush()
    except Exception:
        pass
    os.killpg(os.getpgid(0), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


class _KillingFile:
    "A file object that kills the process during its `nth` write() call, after writing half of that call's data."
    def __init__(self, f, nth):
        self._f, self._nth, self._n = f, nth, 0

    def write(self, data):
        self._n += 1
        if self._n == self._nth:
            self._f.write(data[:len(data) // 2]); self._f.flush(); os.fsync(self._f.fileno())
            die()
        return self._f.write(data)

    def __getattr__(self, name): return getattr(self._f, name)
    def __enter__(self): return self
    def __exit__(self, *exc): return self._f.__exit__(*exc)
    def __iter__(self): return iter(self._f)


def _target_of(fd):
    "The file an `atomic_write` temporary file descriptor will become (None if `fd` is not one)."
    from sketchcolor.files import is_partial
    try: name = os.path.basename(os.readlink(f'/proc/self/fd/{fd}'))
    except OSError: return None
    return name[1:].rsplit('.', 2)[0] if is_partial(name) else None


def install(spec):
    "Install the fault `spec` in this (child) process."
    kind = spec['kind']
    if kind == 'batch':
        from fastai.learner import Learner
        orig = Learner._do_one_batch
        def _do_one_batch(self):
            if (self.training and getattr(self, 'stage_name', None) == spec['stage'] and self.epoch == spec['epoch']
                    and self.iter == spec['iter']): die()
            return orig(self)
        Learner._do_one_batch = _do_one_batch
    elif kind == 'write':
        from fnmatch import fnmatchcase
        name, count, seen = spec['name'], spec.get('count', 1), [0]
        real_fdopen, real_replace = os.fdopen, os.replace
        def nth_match(target):
            if target is None or not fnmatchcase(target, name): return False
            seen[0] += 1
            return seen[0] == count
        if spec.get('at') == 'mid':
            def fdopen(fd, *a, **k):
                f = real_fdopen(fd, *a, **k)
                return _KillingFile(f, spec.get('nth', 1)) if nth_match(_target_of(fd)) else f
            os.fdopen = fdopen
            def replace(src, dst, *a, **k):     # fewer write() calls than `nth`: die before the rename
                if isinstance(src, (str, os.PathLike)) and os.path.basename(os.fspath(src)).startswith('.') and \
                        fnmatchcase(os.path.basename(os.fspath(dst)), name) and seen[0] == count: die()
                return real_replace(src, dst, *a, **k)
        else:
            def replace(src, dst, *a, **k):
                if nth_match(os.path.basename(os.fspath(dst))): die()
                return real_replace(src, dst, *a, **k)
        os.replace = replace
    elif kind == 'enter':
        import sketchcolor.train as T
        orig, count = getattr(T, spec['func']), [0]
        def entered(*a, **k):
            count[0] += 1
            if count[0] == spec.get('nth', 1): die()
            return orig(*a, **k)
        setattr(T, spec['func'], entered)
    elif kind == 'gan_step':
        from sketchcolor.train import GANSwitcher
        orig = GANSwitcher.step
        def step(self, loss):
            if sum(self.steps.values()) + 1 == spec['step']: die()
            return orig(self, loss)
        GANSwitcher.step = step
    elif kind not in ('time', 'none'): raise ValueError(f'unknown fault {spec}')


def run_one(run):
    "Fork a child for `run`; return how it ended."
    sys.stdout.flush(); sys.stderr.flush()
    spec = run.get('kill') or {'kind': 'none'}
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:                                   # the child
        code = 70
        try:
            os.setpgid(0, 0)
            for target, path in ((1, run['log']), (2, run.get('err', run['log']))):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(fd, target); os.close(fd)
            if 'cwd' in run: os.chdir(run['cwd'])
            install(spec)
            from sketchcolor.cli import main
            code = main([str(a) for a in run['argv']])
        except SystemExit as e: code = e.code if isinstance(e.code, int) else 1
        except BaseException:
            import traceback; traceback.print_exc()
        finally:
            try: sys.stdout.flush(); sys.stderr.flush()
            except Exception: pass
            os._exit(code)
    deadline = t0 + run.get('timeout', 600)
    kill_at = t0 + spec['after'] if spec['kind'] == 'time' else None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done: break
        now = time.monotonic()
        if (kill_at is not None and now >= kill_at) or now >= deadline:
            try: os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError: pass
            _, status = os.waitpid(pid, 0)
            if now >= deadline and not (kill_at is not None and kill_at <= deadline): spec = dict(spec, timed_out=True)
            break
        time.sleep(0.01)
    try: os.killpg(pid, signal.SIGKILL)            # leftover workers of the group, if any
    except (ProcessLookupError, PermissionError): pass
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return dict(status='killed' if killed else 'exit', code=None if killed else os.waitstatus_to_exitcode(status),
                seconds=round(time.monotonic() - t0, 2), kill=spec)


def main(plan_path, report_path):
    plan = json.loads(Path(plan_path).read_text())
    import importlib, warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for m in plan.get('import', []): importlib.import_module(m)
    report = []
    for run in plan['runs']:
        report.append(run_one(run))
        Path(report_path).write_text(json.dumps(report, indent=1))
        if run.get('stop_unless_killed') and report[-1]['status'] != 'killed': break


if __name__ == '__main__':
    main(*sys.argv[1:3])
