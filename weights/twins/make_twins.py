"""The analysis chapter's real runs: `python weights/twins/make_twins.py COMMAND` from the repository root.

train:        the 9 twins (rgb, hhsv, xyv × seeds 0-2) at TWIN_BUDGET on everything but the held-out style
limits-train: the twins of limit (iii): OpenMoji's real line art only / synthesized sketches only (hhsv × seeds 0-2)
stage3:       limit (iv): NoGAN stages 2 and 3 on the hhsv twins (stage3_hhsv_s{seed})
evaluate:     every number of the chapter -> weights/twins/results.json (+ per_image.npz) and its pictures in nbs/images
limits-models: limits (i) and (ii) of the shipped colorizers and their picture again (after a new default ships),
               written into results.json; the twins' numbers are kept
check [NAMES]: evaluate the twins (or only NAMES, comma-separated) again and compare with results.json: per metric the
               largest absolute and relative difference; with all twins, the verdict lines recomputed
"""
import json, sys, time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sketchcolor.analysis import *
from PIL import Image
from sketchcolor.evaluate import eval_sets, colorize_rgb
from sketchcolor.fid import fid_inception
from sketchcolor.inference import side_by_side, to_pil
from sketchcolor.loaders import load_sources, make_hints
from sketchcolor.models import load_model, split_hint

OUT, VGG, WORK, IMAGES = Path('weights/twins'), Path('weights/xyv_vgg.safetensors'), Path('run/twins'), Path('nbs/images')
N_PER_SET, METRICS = 128, ('colorfulness_ratio', 'saturation_ratio', 'psnr', 'l1', 'fid', 'fid_xyv')
MODELS = {'thesis': Path('weights/thesis_colorizer.safetensors'), 'default': Path('weights/colorizer.safetensors')}


def twin_sets(sets: dict, n: int = N_PER_SET) -> dict:
    "Each evaluation set cut to at most `n` pairs (a fixed random subset, the same for every twin)."
    pick = lambda d: np.sort(np.random.default_rng(0).choice(len(d), min(n, len(d)), replace=False))
    return {k: d.subset(pick(d)) for k, d in sets.items()}


def twin_files(tag: str = '') -> list[Path]:
    return sorted(p for p in OUT.glob('*.safetensors') if twin_facts(p)['tag'] == tag)


def _rows(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient='records'))


def _effects(table, per_image, ref, by, metrics=METRICS[:4]) -> pd.DataFrame:
    eff = space_effects(table, per_image, metrics=metrics, ref=ref, by=by)
    # FID is one number per twin (no per-image values): its difference and Welch interval over seeds only
    for m in ('fid', 'fid_xyv'):
        for (s, h), g in table.groupby(['set', 'hint'], sort=False):
            base = g[g[by] == ref][m].to_numpy()
            for grp, gg in g.groupby(by):
                if grp == ref: continue
                v = gg[m].to_numpy()
                eff.loc[len(eff)] = dict(set=s, hint=h, metric=m, **{by: grp}, mean=v.mean(), ref_mean=base.mean(),
                                         diff=v.mean() - base.mean(), ci_seeds=welch_ci(v, base), ci_boot=(np.nan, np.nan),
                                         n_seeds=len(v), n_images=int(gg.n_images.iloc[0]) if 'n_images' in gg else np.nan)
    return eff


def _layouts(model, sets: dict) -> dict:
    out = {}
    for s, d in sets.items():
        r = reference_layout(model, d, n=64)
        d_ro = (r.reference - r.own).to_numpy()
        boot = [d_ro[np.random.default_rng(k).integers(0, len(d_ro), len(d_ro))].mean() for k in range(2000)]
        out[s] = dict(reference=float(r.reference.mean()), own=float(r.own.mean()), reference_vs_own=float(r.reference_vs_own.mean()),
                      n=len(r), diff=float(d_ro.mean()), diff_ci=[float(x) for x in np.percentile(boot, [2.5, 97.5])])
    return out


def _tones(model, data) -> dict:
    te = tone_errors(model, data)
    per = te.groupby('tone').error.agg(['mean', 'count']).reset_index()
    return dict(per_tone=_rows(per), dark_minus_light=float(per['mean'].iloc[-1] - per['mean'].iloc[0]), n_families=int(te.base.nunique()))


def _pictures(sets64: dict, sets128: dict) -> list[str]:
    "The chapter's pictures: the twins side by side, and the different-reference example."
    IMAGES.mkdir(parents=True, exist_ok=True)
    made = []
    twins = {sp: load_model(OUT / f'{sp}_s0.safetensors') for sp in TWIN_SPACES}
    for s, d in sets64.items():
        idx = np.random.default_rng(1).choice(len(d), 4, replace=False)
        sub = d.subset(np.sort(idx))
        rows = []
        for kind in TWIN_HINTS:
            g = torch.Generator().manual_seed(0)
            sk, col = sub.sketch.float() / 255, sub.color.float() / 255
            hint = make_hints(kind, col, sk, g, degrade=False)
            outs = [hinted_outputs(twins[sp], sub, kind) for sp in TWIN_SPACES]
            for i in range(len(sub)):
                rows.append([to_pil(col[i]), to_pil(split_hint(hint)[0][i])] + [to_pil(o[i]) for o in outs])
        grid = [side_by_side(r, gap=2) for r in rows]
        w, h = grid[0].size
        canvas = Image.new('RGB', (w, h * len(grid)), 'white')
        for k, im in enumerate(grid): canvas.paste(im, (0, k * h))
        f = IMAGES / f'analysis_twins_{s}.png'; canvas.quantize(128).save(f, optimize=True); made.append(str(f))
    return made + [_other_reference_picture(sets128)]


def _other_reference_picture(sets128: dict) -> str:
    "Limit (i)'s picture: a drawing coloured by both shipped colorizers with another drawing as the reference."
    d = sets128['openmoji_valid']
    i, j = 10, 200
    sk, own, ref = d.sketch[[i]].float() / 255, d.color[[i]].float() / 255, d.color[[j]].float() / 255
    ims = [to_pil(own[0]), to_pil(ref[0])]
    for name, p in MODELS.items():
        with torch.no_grad(): ims.append(to_pil(colorize_rgb(load_model(p).eval(), sk, ref)[0].float().clamp(0, 1)))
    f = IMAGES / 'analysis_other_reference.png'; side_by_side(ims, gap=4).save(f, optimize=True)
    return str(f)


def _model_limits(lim: dict, sets128: dict) -> None:
    "Limits (i) and (ii) of the shipped colorizers (MODELS) at 128 px, into `lim`."
    for name, p in MODELS.items():
        m = load_model(p).eval()
        lim['i'][name], lim['ii'][name] = _layouts(m, sets128), _tones(m, sets128['openmoji_valid'])


def _save_results(res: dict) -> None:
    (OUT / 'results.json').write_text(json.dumps(res, indent=1, default=float) + '\n')


def limits_models() -> None:
    "Recompute the shipped colorizers' limits (i), (ii) and their picture in results.json, keeping everything else."
    res = json.loads((OUT / 'results.json').read_text())
    sets128 = eval_sets(128)
    _model_limits(res['limits'], sets128)
    _other_reference_picture(sets128)
    res['limits_models_date'] = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    _save_results(res)


def _effects_and_verdicts(table: pd.DataFrame, per_image: dict) -> tuple[pd.DataFrame, dict]:
    "The twins' effects against rgb and the verdict lines of the colourfulness and saturation ratios."
    effects = _effects(table, per_image, 'rgb', 'space')
    return effects, {m: verdict(effects, m) for m in ('colorfulness_ratio', 'saturation_ratio')}


def _check(table: pd.DataFrame, per_image: dict, t0: float) -> None:
    """Compare a re-evaluation with results.json: per metric the largest absolute and relative difference, and, when
    every twin was evaluated again, the verdict lines recomputed from the new numbers. The new table goes to run/twins."""
    old = json.loads((OUT / 'results.json').read_text())['twins']
    key, cols = ['name', 'set', 'hint'], list(METRICS)
    a, old_rows = table.set_index(key)[cols].sort_index(), pd.DataFrame(old['table']).set_index(key)[cols]
    b = old_rows.loc[a.index]
    diff = (a - b).abs()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / 'check_table.json').write_text(json.dumps(_rows(table.reset_index(drop=True)), indent=1) + '\n')
    print(f"check: {len(a)} rows of {a.index.get_level_values('name').nunique()} twins against results.json ({time.time() - t0:.0f} s)")
    print(pd.DataFrame(dict(max_abs=diff.max(), max_rel=(diff / b.abs().clip(lower=1e-12)).max(),
                            same_to_3_decimals=(a.round(3) == b.round(3)).all())).to_string())
    if set(a.index) == set(old_rows.index):                       # every twin again: the verdicts too
        for m, v in _effects_and_verdicts(table, per_image)[1].items():
            print(f"verdict of {m}: {'the same lines' if v == old['verdict'][m] else 'DIFFERENT:'}")
            if v != old['verdict'][m]: print(v)


def evaluate(check: bool = False, only: list[str] | None = None) -> None:
    t0 = time.time()
    full64 = eval_sets(64)
    sets64 = twin_sets(full64)
    nets = FeatureNets(inception=fid_inception(device='cpu'), xyv_vgg=load_model(VGG).eval(), xyv_size=128)
    main = twin_files('')
    if check:
        _check(*evaluate_twins([p for p in main if not only or p.stem in only], sets64, nets=nets), t0)
        return
    res = dict(n_per_set={k: len(v) for k, v in sets64.items()}, size=64, hints=list(TWIN_HINTS))
    # limits (i) and (ii): the thesis model and the default at 128 px, and the twins at 64 px
    sets128, lim = eval_sets(128), {'i': {}, 'ii': {}}
    res['limits'] = lim
    _model_limits(lim, sets128)
    for p in main:
        m, n = load_model(p).eval(), twin_facts(p)['name']
        lim['i'][n], lim['ii'][n] = _layouts(m, sets64), _tones(m, full64['openmoji_valid'])
    res['pictures'] = _pictures(sets64, sets128)
    _save_results(res); print(f'limits (i), (ii), pictures: {time.time() - t0:.0f} s', flush=True)
    table, per_image = evaluate_twins(main, sets64, nets=nets)
    effects, verdicts = _effects_and_verdicts(table, per_image)
    res['twins'] = dict(facts=[twin_facts(p) for p in main], table=_rows(table), effects=_rows(effects), verdict=verdicts)
    np.savez_compressed(OUT / 'per_image.npz', **{'|'.join(k): v.to_numpy() for k, v in per_image.items()},
                        columns=np.array(list(next(iter(per_image.values())).columns)))
    print(res['twins']['verdict']['colorfulness_ratio'], f'({time.time() - t0:.0f} s)', flush=True)
    _save_results(res)
    # limit (iii): real vs synthetic line art, tested on real OpenMoji line art
    tagged = twin_files('real') + twin_files('synthetic')
    if tagged:
        om = {'openmoji_valid': sets64['openmoji_valid']}
        t3, p3 = evaluate_twins(tagged, om, nets=FeatureNets(xyv_vgg=nets.xyv_vgg, xyv_size=nets.xyv_size))   # FID_xyv only: time
        t3['fid'] = np.nan
        e3 = _effects(t3, p3, 'real', 'tag')
        lim['iii'] = dict(table=_rows(t3), effects=_rows(e3), verdict=verdict(e3, 'psnr', ref='real', by='tag'),
                          facts=[twin_facts(p) for p in tagged])
        _save_results(res)
    # limit (iv): NoGAN stage 3 against the same twins before it
    s3 = twin_files('stage3')
    if s3:
        before = [OUT / f"{twin_facts(p)['from_twin']}.safetensors" for p in s3]
        t4, p4 = evaluate_twins(before + s3, sets64, nets=nets)
        t4['tag'] = t4.tag.replace('', 'before')
        e4 = _effects(t4, p4, 'before', 'tag')
        lim['iv'] = dict(table=_rows(t4), effects=_rows(e4), verdict=verdict(e4, 'psnr', ref='before', by='tag'),
                         facts=[twin_facts(p) for p in s3])
    res['seconds'] = round(time.time() - t0, 1)
    res['date'] = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    _save_results(res)
    print(f"evaluate: wrote {OUT / 'results.json'} ({res['seconds']:.0f} s)")


def main(what: str) -> None:
    torch.set_num_threads(2)
    t0 = time.time()
    vgg = load_model(VGG).eval()
    if what == 'train':
        data = load_sources(twin_sources('all'), TWIN_BUDGET['size'], n_workers=2)
        print(train_twins(data, OUT, vgg, work=WORK).to_string())
    elif what == 'limits-train':
        for tag in ('real', 'synthetic'):
            data = load_sources(twin_sources(tag), TWIN_BUDGET['size'], n_workers=2)
            print(train_twins(data, OUT, vgg, spaces=('hhsv',), tag=tag, work=WORK).to_string())
    elif what == 'stage3':
        data = load_sources(twin_sources('all'), TWIN_BUDGET['size'], n_workers=2)
        for seed in map(int, (sys.argv[2] if len(sys.argv) > 2 else '0').split(',')):
            if (OUT / f'stage3_hhsv_s{seed}.safetensors').exists(): continue
            f = stage3_twin(OUT / f'hhsv_s{seed}.safetensors', data, OUT, vgg, work=WORK)
            print(f"{f['name']}: {f['gan_steps']} GAN steps in {f['seconds']:.0f} s; {f['stage3_verdict']}", flush=True)
    elif what == 'evaluate': evaluate()
    elif what == 'limits-models': limits_models()
    elif what == 'check': evaluate(check=True, only=sys.argv[2].split(',') if len(sys.argv) > 2 else None)
    else: raise SystemExit(__doc__)
    print(f"{what}: {time.time() - t0:.0f} s", flush=True)


if __name__ == '__main__': main(sys.argv[1] if len(sys.argv) > 1 else '')
