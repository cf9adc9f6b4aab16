"""Build the documentation site into `_docs/` from the notebooks, offline (run it as `.ci/make_docs`).

1. nbdev's own processors turn every notebook of `nbs/` into its documentation form, as `nbdev_docs` would before
   handing it to Quarto: `#| hide` cells dropped, a `show_doc` API entry rendered after each exported definition,
   backticked names linked. Two of them are narrowed (see `DocsFilter`): only definitions, imports and `show_doc`
   calls are run (nothing else is re-executed; every committed output is kept), and exported code stays on the page.
2. The Quarto cell options those processors leave (`echo`, `output: asis`, `include`, `fig-cap`, ...) are mapped onto
   myst-nb's cell tags and metadata, API entries get stable anchors and links to local source pages.
3. Sphinx with myst-nb (execution off) and the Furo theme renders the site: sidebar, full-text search, and maths with
   MathJax copied into the site from the npm package (no CDN at any time).

The notebooks' Quarto configuration (`nbs/_quarto.yml`, `nbs/nbdev.yml`) is not touched: `nbdev_docs` still works
where Quarto is installed.
"""
import argparse, ast, hashlib, json, os, re, shutil, subprocess, sys, tarfile, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / 'docs'                   # Sphinx configuration and static files
WORK = ROOT / '_build'                 # generated Sphinx sources and doctrees (git-ignored)
MATHJAX_VERSION = '3.2.2'
MATHJAX_SHA1 = 'c754d7b46a679d7f3fa03543d6b8bf124ddf9f6b'   # the npm registry's shasum of mathjax-3.2.2.tgz
STAMP = '.sketchcolor-docs.json'       # in the site folder: what it was built from

# ---------------------------------------------------------------------------------------------------------------
# What the site is built from, and whether a built site is up to date

def input_files(root: Path = ROOT) -> list[Path]:
    "Every file the site is built from: notebooks and their pictures, the library, the docs configuration."
    nbs, lib = root / 'nbs', root / 'sketchcolor'
    files = [p for p in nbs.rglob('*') if p.is_file() and 'fixtures' not in p.relative_to(nbs).parts[:1]
             and not any(s.startswith(('.', '_')) for s in p.relative_to(nbs).parts)]
    files += [p for p in lib.rglob('*.py') if '__pycache__' not in p.parts]
    files += [p for p in (root / 'docs').rglob('*') if p.is_file() and '__pycache__' not in p.parts]
    files += [root / 'settings.ini', root / '.ci' / 'make_docs']
    return sorted(set(p for p in files if p.is_file()))

def fingerprint(root: Path = ROOT) -> str:
    "sha256 over the names and contents of `input_files` (mtimes play no part, so a fresh clone matches)."
    h = hashlib.sha256()
    for p in input_files(root):
        h.update(p.relative_to(root).as_posix().encode() + b'\0' + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()

def site_is_current(site: Path | None = None, root: Path = ROOT) -> bool:
    "Was the site in `site` (default `_docs/`) built from the files as they are now?"
    stamp = Path(site or root / '_docs') / STAMP
    try: return json.loads(stamp.read_text())['fingerprint'] == fingerprint(root)
    except (OSError, ValueError, KeyError): return False

# ---------------------------------------------------------------------------------------------------------------
# Step 1: nbdev's processors (run in worker processes, one notebook at a time)

def _docs_filter():
    "nbdev's `FilterDefaults` for this build (imported lazily: workers import nbdev themselves)."
    import ast as _ast
    from nbdev.processors import (FilterDefaults, exec_show_docs, rm_export, insert_warning, _is_showdoc,
                                  cell_lang)

    def _import_only(trees): return bool(trees) and all(isinstance(t, (_ast.Import, _ast.ImportFrom)) for t in trees)

    class exec_definitions(exec_show_docs):
        "`exec_show_docs`, narrowed: runs exported cells, import-only cells and `show_doc` calls; keeps outputs."
        def __call__(self, cell):
            if not self.nb.has_docs_ or not hasattr(self, 'k') or cell.cell_type != 'code' or not cell.source: return
            if cell_lang(cell) != 'python': return
            d = cell.directives_
            if d.get('eval:', [''])[0].lower() == 'false': return
            trees = cell.parsed_()
            if not (d.keys() & {'export', 'exports', 'exporti', 'exec_doc'} or _is_showdoc(cell) or _import_only(trees)):
                return
            kept = cell.get('outputs')
            self.k.cell(cell)
            if self.k.exc:
                raise RuntimeError(f'{self.nb.path_}: cell {cell.idx_} failed while rendering the API docs:\n'
                                   f'{cell.source}') from self.k.exc
            if not _is_showdoc(cell) and kept is not None: cell['outputs'] = kept

    def keep_exported(cell):
        "`rm_export`, but exported code stays on the page: only `hide` and `default_exp` cells go."
        if cell.directives_ and cell.directives_.keys() & {'hide', 'default_exp'}: del cell['source']

    class DocsFilter(FilterDefaults):
        def base_procs(self):
            swap = {exec_show_docs: exec_definitions, rm_export: keep_exported}
            return [swap.get(p, p) for p in super().base_procs() if p is not insert_warning]
    return DocsFilter

_re_quarto_opt = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
_re_source_link = re.compile(r'^\[source\]\((\S+?)\)(\{[^}]*\})?\s*$', re.M)
_re_api_heading = re.compile(r'^(#{2,6}) (\S+)\s*$', re.M)
_re_md_link = re.compile(r'\]\(([^)\s]+)\)')

def _text(src): return ''.join(src) if isinstance(src, list) else (src or '')

def _quarto_options(source: str) -> tuple[dict, str]:
    "Split the leading `#| key: value` Quarto options off a code cell's source."
    lines, opts = source.split('\n'), {}
    while lines and (m := _re_quarto_opt.match(lines[0])):
        opts[m.group(1)] = m.group(2).strip('"\'')
        lines.pop(0)
    return opts, '\n'.join(lines).strip('\n')

def api_id(qualname: str) -> str:
    """The HTML id of the API entry of function or class `qualname` (sketchcolor.colors.rgb2hsv -> sketchcolor-colors-rgb2hsv;
    a constant's entry has `-constant` appended, since ids are lower case: DEFAULT_SKETCH vs default_sketch)."""
    from docutils.nodes import make_id
    return make_id(qualname)

class Linker:
    "Rewrites the absolute links nbdev writes (site URL, GitHub source) into links inside this site."
    def __init__(self, settings: dict, modidx: dict, pages: dict, page: str):
        self.site = (settings['doc_host'].rstrip('/') + '/' + settings['doc_baseurl'].strip('/')).rstrip('/') + '/'
        self.gh = f"{settings['git_url'].rstrip('/')}/blob/{settings['branch']}/"
        self.lib = settings['lib_path']
        self.pages, self.page = pages, page       # notebook name -> page name; this page's name
        self.syms = {}                             # 'colors.html#rgb2hsv' -> ('sketchcolor.colors.rgb2hsv', module, py)
        for mod, syms in modidx.items():
            for qual, (doc, py) in syms.items(): self.syms.setdefault(doc, (qual, mod, py))

    def sym_link(self, tail: str) -> str:
        "Where nbdev's link to a symbol's docs goes here: its API entry, or (private names, methods) its source line."
        import importlib
        from nbdev.doclinks import _lineno
        qual, mod, py = self.syms[tail]
        name = qual[len(mod) + 1:]
        if name in getattr(importlib.import_module(mod), '__all__', []):
            return self.rel(f"{tail.split('#')[0]}#{api_id(qual)}")
        line = _lineno(name, py)
        return self.rel(self.source_page(py)) + (f'#L-{line}' if line else '')

    def rel(self, target: str) -> str:
        "`target` (a path from the site root) relative to this page."
        return os.path.relpath(target, os.path.dirname(self.page) or '.').replace(os.sep, '/')

    def source_page(self, py: str) -> str:
        "Site path of the source page of library file `py` (e.g. sketchcolor/colors.py)."
        return f'source/{Path(py).with_suffix("").as_posix()}.html'

    def url(self, url: str) -> str:
        if url.startswith(self.site):
            tail = url[len(self.site):]
            return self.sym_link(tail) if tail in self.syms else self.rel(tail)
        if url.startswith(self.gh) and url[len(self.gh):].split('#')[0].endswith('.py'):
            py, _, line = url[len(self.gh):].partition('#L')
            return self.rel(self.source_page(py)) + (f'#L-{line}' if line.isdigit() else '')
        if '://' not in url and not url.startswith(('#', 'mailto:')):
            path, hsh, frag = url.partition('#')
            if path.endswith('.ipynb') and Path(path).stem in self.pages:
                return self.rel(self.pages[Path(path).stem] + '.html') + hsh + frag
        return url

    def links(self, md: str) -> str:
        return _re_md_link.sub(lambda m: f']({self.url(m.group(1))})', md)

def api_entry(md: str, module: str, linker: Linker) -> str:
    "A `show_doc` markdown output as a MyST API entry: anchored heading, local source link, no leading rule."
    md = re.sub(r'^\s*---\s*\n', '', md)
    src = _re_source_link.search(md)
    md = _re_source_link.sub('', md)
    h = _re_api_heading.search(md)
    if not h: return linker.links(md)
    name = h.group(2).replace('\\', '')
    head = f'({module}.{name})=\n{{.sc-api}}\n{h.group(1)} {h.group(2)}\n'
    if src: head += f'\n[source]({linker.url(src.group(1))}){{.sc-source}}\n'
    return linker.links(md[:h.start()].strip() + '\n\n' + head + md[h.end():])

def const_entries(cell_source: str, module: str, public: set, documented: set) -> str:
    "API entries for public names an exported cell binds by assignment (`show_doc` renders only functions/classes)."
    try: tree = ast.parse(cell_source)
    except SyntaxError: return ''
    lines, out = cell_source.split('\n'), []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            for n in ([t] if isinstance(t, ast.Name) else getattr(t, 'elts', [])):
                if not isinstance(n, ast.Name) or n.id not in public or n.id in documented: continue
                documented.add(n.id)
                code = lines[node.lineno - 1:node.end_lineno]
                if len(code) > 12: code = code[:11] + ['    ...']
                note, i = [], node.lineno - 2
                while i >= 0 and lines[i].lstrip().startswith('#') and not lines[i].lstrip().startswith('#|'):
                    note.insert(0, lines[i].strip().lstrip('#').strip()); i -= 1
                tail = re.search(r'#\s*(.+)$', lines[node.lineno - 1]) if len(code) == 1 else None
                doc = ' '.join(note) or (tail.group(1) if tail else '')
                code_txt = '\n'.join(code)
                out.append(f'({module}.{n.id}-constant)=\n{{.sc-api .sc-constant}}\n### {n.id}\n\n```python\n{code_txt}\n```\n'
                           + (f'\n*{doc}*\n' if doc else ''))
    return '\n'.join(out)

def _md_cell(source: str, **meta) -> dict:
    return {'cell_type': 'markdown', 'metadata': meta, 'source': source}

def translate(nb, module: str | None, public: set, linker: Linker) -> dict:
    "An nbdev-processed notebook as a myst-nb notebook (Quarto cell options -> myst-nb tags and metadata)."
    fm = dict(getattr(nb, 'frontmatter_', None) or {})
    cells, documented = [], set()
    title = fm.get('title') or Path(nb.path_).stem
    head = f'# {title}\n'
    if fm.get('description'): head += f'\n{{.sc-description}}\n{fm["description"]}\n'
    cells.append(_md_cell(head))
    for c in nb.cells:
        src = c.get('source')
        if src is None: continue
        src = _text(src)
        if c.cell_type == 'raw':
            if src.lstrip().startswith('---'): continue            # the frontmatter, rendered above
            cells.append({'cell_type': 'raw', 'metadata': {}, 'source': src}); continue
        if c.cell_type == 'markdown':
            if src.strip(): cells.append(_md_cell(linker.links(src)))
            continue
        opts, code = _quarto_options(src)
        if opts.get('include') == 'false': continue
        outputs = [dict(o) for o in c.get('outputs', [])]
        if opts.get('output') == 'asis':
            if opts.get('echo') != 'false' and code: cells.append(_code_cell(code, [], []))
            for o in outputs:
                md = _text(o.get('data', {}).get('text/markdown', '')) if o.get('output_type') != 'stream' else ''
                if md.strip(): cells.append(_md_cell(api_entry(md, module, linker) if module else linker.links(md)))
            hm = _re_api_heading.search(_text(outputs[0].get('data', {}).get('text/markdown', ''))) if outputs else None
            if hm: documented.add(hm.group(2).replace('\\', ''))
            continue
        tags, meta = [], {}
        if opts.get('echo') == 'false' or not code: tags.append('remove-input')
        if opts.get('output') == 'false': tags.append('remove-output')
        exported = bool(c.get('directives_', {}).keys() & {'export', 'exports', 'exporti'})
        if exported: tags.append('exported')
        if opts.get('fig-cap'): meta['mystnb'] = {'figure': {'caption': opts['fig-cap']}}
        if not code and not outputs: continue
        cells.append(_code_cell(code, outputs, tags, meta))
        if exported and module:
            consts = const_entries(code, module, public, documented)
            if consts: cells.append(_md_cell(consts))
    for i, c in enumerate(cells): c['id'] = f'cell-{i}'
    return {'nbformat': 4, 'nbformat_minor': 5, 'cells': cells,
            'metadata': {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'},
                         'language_info': {'name': 'python', 'pygments_lexer': 'ipython3'}}}

def _clean_output(o: dict) -> dict:
    o = {k: v for k, v in o.items() if not k.endswith('_')}
    if o.get('output_type') == 'execute_result': o.setdefault('execution_count', None)
    o.setdefault('metadata', {}) if o.get('output_type') in ('display_data', 'execute_result') else None
    return o

def _code_cell(code, outputs, tags, meta=None) -> dict:
    meta = dict(meta or {})
    if tags: meta['tags'] = tags
    return {'cell_type': 'code', 'execution_count': None, 'metadata': meta, 'source': code,
            'outputs': [_clean_output(o) for o in outputs]}

def process_notebook(job: tuple) -> tuple[str, float]:
    "Worker: run nbdev's processors on one notebook and write it, translated, where Sphinx will read it."
    nb_path, dest, page, pages = job
    t0 = time.time()
    os.chdir(Path(nb_path).parent)                 # as nbdev_test does: notebooks use paths relative to nbs/
    os.environ['IN_TEST'] = '1'                    # as nbdev's docs processing does
    from execnb.nbio import read_nb
    from nbdev.config import get_config
    import importlib, sketchcolor._modidx as mi
    nb = read_nb(nb_path)
    module = next((m.group(1) for c in nb.cells if c.cell_type == 'code'
                   for m in [re.search(r'^#\|\s*default_exp\s+(\S+)', _text(c.source), re.M)] if m), None)
    lib = get_config().lib_name
    qual = f'{lib}.{module}' if module else None
    public = set(getattr(importlib.import_module(qual), '__all__', [])) if qual else set()
    _docs_filter()()(nb)
    linker = Linker(mi.d['settings'], mi.d['syms'], pages, page)
    out = translate(nb, qual, public, linker)
    Path(dest).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding='utf-8')
    return str(nb_path), time.time() - t0

# ---------------------------------------------------------------------------------------------------------------
# Step 2: the pages nbdev doesn't make: chapter index, library source pages

def source_pages(out: Path, lib_path: Path, pages_of_module: dict, settings: dict) -> list[str]:
    "One highlighted page per library file with line anchors L-<n> (the API entries' source links point here)."
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    names = []
    for py in sorted(lib_path.rglob('*.py')):
        rel = py.relative_to(lib_path.parent).as_posix()           # sketchcolor/colors.py
        if '__pycache__' in rel or py.name.startswith('_'): continue
        doc = f'source/{Path(rel).with_suffix("").as_posix()}'
        dest = out / f'{doc}.md'
        dest.parent.mkdir(parents=True, exist_ok=True)
        html = highlight(py.read_text(encoding='utf-8'), PythonLexer(),
                         HtmlFormatter(linenos='inline', lineanchors='L', anchorlinenos=True, wrapcode=True))
        (out / f'{doc}.frag').write_text(html, encoding='utf-8')
        mod = Path(rel).with_suffix('').as_posix().replace('/', '.')
        page = pages_of_module.get(mod)
        up = os.path.relpath('.', os.path.dirname(doc)).replace(os.sep, '/')
        about = f'Documented in [{page[1]}]({up}/{page[0]}.html). ' if page else ''
        gh = f"{settings['git_url'].rstrip('/')}/blob/{settings['branch']}/{rel}"
        dest.write_text(f'# {rel}\n\n{about}Generated from the notebook by `nbdev_export`; '
                        f'[on GitHub]({gh}).\n\n```{{raw}} html\n:file: {Path(doc).name}.frag\n```\n', encoding='utf-8')
        names.append(doc)
    return names

def mathjax(cache: Path) -> Path:
    "MathJax's es5 folder from the npm package (fetched once with `npm pack`, checked against its shasum)."
    es5 = cache / f'mathjax-{MATHJAX_VERSION}' / 'es5'
    if (es5 / 'tex-mml-chtml.js').is_file(): return es5
    if not shutil.which('npm'): sys.exit('make_docs: MathJax is not cached and npm is missing (apt-get install npm)')
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(['npm', 'pack', f'mathjax@{MATHJAX_VERSION}', '--pack-destination', tmp, '--silent'],
                           capture_output=True, text=True)
        tgz = Path(tmp) / f'mathjax-{MATHJAX_VERSION}.tgz'
        if r.returncode or not tgz.is_file(): sys.exit(f'make_docs: npm pack mathjax@{MATHJAX_VERSION} failed: {r.stderr.strip()}')
        if hashlib.sha1(tgz.read_bytes()).hexdigest() != MATHJAX_SHA1: sys.exit(f'make_docs: {tgz.name}: checksum mismatch')
        with tarfile.open(tgz) as t: t.extractall(tmp, filter='data')
        dest = es5.parent
        if dest.exists(): shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(Path(tmp) / 'package', dest)
    return es5

def copy_mathjax(es5: Path, static: Path):
    "The parts of MathJax the pages can load: the tex-mml-chtml bundle and what it loads lazily (fonts, extensions, a11y)."
    dest = static / 'mathjax'
    if dest.exists(): shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for p in es5.iterdir():
        if p.is_dir(): shutil.copytree(p, dest / p.name)
    shutil.copy2(es5 / 'tex-mml-chtml.js', dest)
    shutil.copy2(es5.parent / 'LICENSE', dest)

# ---------------------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=None, help='site folder (default: doc_path of settings.ini, _docs)')
    ap.add_argument('--jobs', type=int, default=2, help='worker processes for the notebooks (default 2)')
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    from nbdev.config import get_config
    from nbdev.doclinks import nbglob, _nbpath2html
    cfg = get_config()
    out = Path(args.out).resolve() if args.out else cfg.doc_path
    t0 = time.time()
    fp = fingerprint()
    nbs = Path(cfg.nbs_path)
    notebooks = sorted(nbglob(nbs, as_path=True), key=lambda p: p.relative_to(nbs).as_posix())
    if not any(p.name == 'index.ipynb' for p in notebooks): sys.exit(f'make_docs: {nbs}/index.ipynb is missing')
    src = WORK / 'site'
    if src.exists(): shutil.rmtree(src)
    src.mkdir(parents=True)
    # pictures the notebooks' markdown refers to
    for p in nbs.rglob('*'):
        rel = p.relative_to(nbs)
        if p.is_file() and p.suffix.lower() in ('.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp') \
           and rel.parts[0] != 'fixtures' and not any(s.startswith(('.', '_')) for s in rel.parts):
            (src / rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(p, src / rel)
    pages = {p.stem: _nbpath2html(p.relative_to(nbs)).with_suffix('').as_posix() for p in notebooks}
    jobs = [(p, src / f'{pages[p.stem]}.ipynb', pages[p.stem], pages) for p in notebooks]
    for j in jobs: Path(j[1]).parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(DOCS))
    import sitebuild            # workers unpickle `sitebuild.process_notebook` (IPython replaces their __main__)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=get_context('spawn')) as ex:
        for name, dt in ex.map(sitebuild.process_notebook, jobs): print(f'  processed {Path(name).name} ({dt:.1f} s)')
    t1 = time.time()
    # chapter titles and modules, for the sidebar and the source pages
    chapters, pages_of_module = [], {}
    for p in notebooks:
        nbj = json.loads((src / f'{pages[p.stem]}.ipynb').read_text(encoding='utf-8'))
        title = nbj['cells'][0]['source'].split('\n')[0].lstrip('# ').strip()
        raw = json.loads(p.read_text(encoding='utf-8'))
        m = next((m for c in raw['cells'] if c['cell_type'] == 'code'
                  for m in [re.search(r'^#\|\s*default_exp\s+(\S+)', _text(c['source']), re.M)] if m), None)
        if m: pages_of_module[f'{cfg.lib_name}.{m.group(1)}'] = (pages[p.stem], title)
        if p.name != 'index.ipynb': chapters.append(pages[p.stem])
    sources = source_pages(src, Path(cfg.lib_path), pages_of_module, {'git_url': cfg.git_url, 'branch': cfg.branch})
    index = src / 'index.ipynb'
    nbj = json.loads(index.read_text(encoding='utf-8'))
    toc = ('```{toctree}\n:hidden:\n:caption: Chapters\n:maxdepth: 1\n\n' + '\n'.join(chapters) + '\n```\n\n'
           '```{toctree}\n:hidden:\n:caption: Library source\n:maxdepth: 1\n\n' + '\n'.join(sources) + '\n```\n')
    nbj['cells'].append({**_md_cell(toc), 'id': 'toctree'})
    index.write_text(json.dumps(nbj, indent=1, ensure_ascii=False), encoding='utf-8')
    # Sphinx
    html_dir = WORK / 'html'                # myst-nb writes its output files next to Sphinx's output folder
    for d in (html_dir, WORK / 'jupyter_execute'):
        if d.exists(): shutil.rmtree(d)
    env = {**os.environ, 'SKETCHCOLOR_DOCS_ROOT': str(ROOT)}
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-E', '-j', str(max(1, args.jobs)),
           '-c', str(DOCS), '-d', str(WORK / 'doctrees'), str(src), str(html_dir)]
    r = subprocess.run(cmd, env=env)
    if r.returncode: sys.exit(f'make_docs: sphinx-build failed ({r.returncode})')
    es5 = mathjax(Path(os.environ.get('SKETCHCOLOR_CACHE', '~/.cache/sketchcolor')).expanduser())
    copy_mathjax(es5, html_dir / '_static')
    (html_dir / '.nojekyll').write_text('')                  # GitHub Pages: serve _static/ and _images/ as they are
    if out.exists(): shutil.rmtree(out)
    shutil.move(html_dir, out)
    html = sorted(p.relative_to(out).as_posix() for p in out.rglob('*.html') if '_static' not in p.parts)
    (out / STAMP).write_text(json.dumps({'fingerprint': fp, 'pages': html, 'chapters': chapters,
                                         'seconds': round(time.time() - t0, 1)}, indent=1))
    print(f'make_docs: {len(html)} pages ({len(chapters)} chapters + landing page) in {out} '
          f'in {time.time() - t0:.0f} s (notebooks {t1 - t0:.0f} s, Sphinx {time.time() - t1:.0f} s)')

if __name__ == '__main__': main()
