"""The documentation site, as a reader sees it: built by `.ci/make_docs`, served over HTTP on 127.0.0.1, read in a real
headless Chromium (Playwright driving Debian's /usr/bin/chromium; no browser download, no network).

The site is (re)built here when `_docs/` is missing or was built from other files than the current ones.
Screenshots of the landing page and of the colour-spaces chapter go to $SKETCHCOLOR_SCREENSHOTS (default run/screenshots).
"""
import functools, html.parser, http.server, importlib, inspect, json, os, pkgutil, re, subprocess, sys, threading
from pathlib import Path
from urllib.parse import urlsplit, unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / '_docs'
CHROMIUM = os.environ.get('SKETCHCOLOR_CHROMIUM', '/usr/bin/chromium')
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync']
sys.path.insert(0, str(ROOT / 'docs'))
import sitebuild  # noqa: E402  (docs/sitebuild.py: what the site is built from)


def _missing_browser(why):
    "No browser: a failure under CI (which installs it), a skip with the reason on a developer's machine."
    if os.environ.get('CI'): pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope='module')
def site():
    "The built site, rebuilt first when stale."
    if not sitebuild.site_is_current(SITE):
        r = subprocess.run(['bash', str(ROOT / '.ci' / 'make_docs')], cwd=ROOT, capture_output=True, text=True,
                           timeout=900)
        assert r.returncode == 0, f'.ci/make_docs failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
        assert sitebuild.site_is_current(SITE), '.ci/make_docs ran but the site does not match the sources'
    return json.loads((SITE / sitebuild.STAMP).read_text())


@pytest.fixture(scope='module')
def server(site):
    "The site over HTTP on a free port of 127.0.0.1."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_port}/'
    srv.shutdown(); srv.server_close()


@pytest.fixture(scope='module')
def browser():
    try: from playwright.sync_api import sync_playwright
    except ImportError: _missing_browser('playwright is not installed (pip install -e ".[dev]")')
    if not Path(CHROMIUM).is_file(): _missing_browser(f'{CHROMIUM} is missing (apt-get install chromium)')
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    "A browser tab that records every console error, page error, failed request and HTTP error while it loads pages."
    def __init__(self, browser, base):
        self.base, self.problems = base, []
        self.page = browser.new_page(viewport={'width': 1280, 'height': 900})
        self.page.on('console', lambda m: m.type == 'error' and self.problems.append(f'console: {m.text}'))
        self.page.on('pageerror', lambda e: self.problems.append(f'page error: {e}'))
        self.page.on('requestfailed', self._failed)
        self.page.on('response', lambda r: r.status >= 400 and self.problems.append(f'HTTP {r.status}: {r.url}'))

    def _failed(self, r):
        # the favicon is fetched after `load`; going on to the next page aborts it (a missing one would be a 404)
        if not (r.url.endswith('/favicon.png') and 'ERR_ABORTED' in (r.failure or '')):
            self.problems.append(f'request failed: {r.url} {r.failure}')

    def open(self, path):
        self.problems.clear()
        resp = self.page.goto(self.base + path, wait_until='load')
        assert resp is not None and resp.status == 200, f'{path}: HTTP {resp and resp.status}'
        # MathJax typesets after load: wait until it has finished (pages without maths don't load it)
        self.page.evaluate('window.MathJax && MathJax.startup && MathJax.startup.promise ? '
                           'MathJax.startup.promise.then(() => true) : true')
        return self.page


@pytest.fixture(scope='module')
def tab(browser, server):
    t = Page(browser, server)
    yield t
    t.page.close()


def _pages(site): return site['pages']

def _chapters():
    "module name -> (page path, notebook path) for every notebook with a default_exp, as nbdev names the pages."
    out = {}
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            m = re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M) if c['cell_type'] == 'code' else None
            if m:
                out[f'sketchcolor.{m.group(1)}'] = (re.sub(r'^\d+[a-zA-Z0-9]*_', '', nb.stem.lower()) + '.html', nb)
                break
    return out

def _public_modules():
    import sketchcolor
    return [f'sketchcolor.{m.name}' for m in pkgutil.iter_modules(sketchcolor.__path__) if not m.name.startswith('_')]


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ('id', 'name') and v: self.ids.add(v)

@functools.lru_cache(None)
def _ids(path: Path):
    p = _Ids(); p.feed(path.read_text(encoding='utf-8')); return p.ids


def test_site_has_a_page_per_chapter_in_chapter_order(site):
    notebooks = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if p.name != 'index.ipynb' and p.name[0] not in '_.')
    expected = [re.sub(r'^\d+[a-zA-Z0-9]*_', '', p.stem.lower()) for p in notebooks]
    assert site['chapters'] == expected
    index = (SITE / 'index.html').read_text(encoding='utf-8')
    nav = re.findall(r'<a class="reference internal" href="([\w/.-]+)\.html">', index)
    assert [n for n in nav if n in expected] == expected, nav     # sidebar lists the chapters in filename order


# What the chapter tests read off a chapter page: its API entries (heading text, id, text, signature blocks, source
# link), its text, the text of its exported code cells, the number of MathJax outputs and the prose without code.
_CHAPTER_JS = '''(() => {
    const api = Array.from(document.querySelectorAll("section.sc-api")).map(s => {
        const h = s.querySelector("h1,h2,h3,h4,h5,h6");
        const name = Array.from(h.childNodes).filter(n => n.nodeType === 3 || n.tagName !== "A")
                          .map(n => n.textContent).join("").trim();
        const src = s.querySelector("a.sc-source");
        return {name, id: s.id, text: s.innerText, pre: Array.from(s.querySelectorAll("pre"), p => p.innerText),
                source: src ? src.getAttribute("href") : null};
    });
    const article = document.querySelector("article");
    const prose = article.cloneNode(true);
    prose.querySelectorAll("pre, code, mjx-container, .cell_output, script, style").forEach(e => e.remove());
    return {api, text: article.innerText, prose: prose.innerText,
            exported: Array.from(document.querySelectorAll("div.cell.tag_exported pre"), p => p.innerText).join("\\n"),
            mathjax: document.querySelectorAll("mjx-container").length};
})()'''


@pytest.fixture(scope='module')
def crawl(site, tab):
    "Every page of the site opened once: what went wrong while it loaded, its images that did not load, its links."
    out, chapter_pages = {}, {v[0] for v in _chapters().values()}
    for path in _pages(site):
        page = tab.open(path)
        broken = page.evaluate('Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)'
                               '.map(i => i.getAttribute("src"))')
        hrefs = sorted(set(page.evaluate('Array.from(document.querySelectorAll("a[href]"), a => a.href)')))
        out[path] = {'problems': list(tab.problems), 'broken_images': broken,
                     'images': page.evaluate('document.images.length'), 'hrefs': hrefs}
        if path in chapter_pages: out[path].update(page.evaluate(_CHAPTER_JS))
    return out


def test_every_page_loads_without_console_errors(site, crawl):
    bad = {p: r['problems'] for p, r in crawl.items() if r['problems']}
    assert not bad, json.dumps(bad, indent=1)
    assert len(crawl) >= len(site['chapters']) + 1


def test_every_image_loads(crawl):
    bad = {p: r['broken_images'] for p, r in crawl.items() if r['broken_images']}
    assert not bad, json.dumps(bad, indent=1)
    assert sum(r['images'] for r in crawl.values()) >= 10       # the chapters' figures are there


def test_every_internal_link_resolves(crawl, server):
    bad, checked = [], 0
    for path, r in crawl.items():
        for href in r['hrefs']:
            if not href.startswith(server): continue
            u = urlsplit(href)
            target = SITE / unquote(u.path[len(urlsplit(server).path):])
            if target.is_dir(): target = target / 'index.html'
            checked += 1
            if not target.is_file(): bad.append(f'{path}: {href} (no such file)'); continue
            if u.fragment and target.suffix == '.html' and unquote(u.fragment) not in _ids(target):
                bad.append(f'{path}: {href} (no such anchor)')
    assert not bad, '\n'.join(sorted(bad)[:50]) + f'\n({len(bad)} broken)'
    assert checked > 100


def test_search_colorfulness_lists_the_colour_spaces_page(tab):
    colors_page = _chapters()['sketchcolor.colors'][0]
    page = tab.open('index.html')
    box = page.locator('input[name="q"]').first
    box.fill('colorfulness'); box.press('Enter')
    page.wait_for_url(re.compile(r'search\.html\?q=colorfulness'))
    page.wait_for_function('document.querySelector("#search-results") && '
                           '/Search finished/.test(document.querySelector("#search-results").innerText)', timeout=30000)
    links = page.evaluate('Array.from(document.querySelectorAll("#search-results a[href]"), a => a.href)')
    assert any(urlsplit(h).path.endswith('/' + colors_page) for h in links), links


def test_each_modules_public_names_have_their_api_entry(crawl):
    chapters, missing, wrong = _chapters(), [], []
    modules = _public_modules()
    assert {'sketchcolor.colors', 'sketchcolor.inference', 'sketchcolor.cli'} <= set(modules)
    for modname in modules:
        mod = importlib.import_module(modname)
        names = list(getattr(mod, '__all__', []))
        assert modname in chapters, f'{modname} has no chapter (no notebook with #| default_exp)'
        page_path = chapters[modname][0]
        entries = {}
        for e in crawl[page_path]['api']: entries.setdefault(e['name'], e)
        for name in names:
            e, obj = entries.get(name), getattr(mod, name)
            if e is None: missing.append(f'{modname}.{name} (on {page_path})'); continue
            if not e['pre']: wrong.append(f'{modname}.{name}: no signature block')
            if inspect.isfunction(obj) or inspect.isclass(obj):
                if not any(re.search(rf'\b{re.escape(name)}\s*\(', p) for p in e['pre']):
                    wrong.append(f'{modname}.{name}: signature block does not show {name}(...)')
                doc = obj.__doc__ and inspect.cleandoc(obj.__doc__)
                if doc:
                    first = re.sub(r'[`*]', '', doc.split('\n\n')[0]).split()[:8]
                    if ' '.join(first) not in ' '.join(e['text'].split()):
                        wrong.append(f'{modname}.{name}: docstring not shown ({" ".join(first)!r})')
                # the source link points at the definition, on the page of the module's source
                if not e['source']: wrong.append(f'{modname}.{name}: no source link'); continue
                m = re.fullmatch(r'(?:\.\./)*source/(.+)\.html#L-(\d+)', e['source'])
                py = m and ROOT / (m.group(1) + '.py')
                if not (m and py.is_file()): wrong.append(f'{modname}.{name}: source link {e["source"]}'); continue
                line = py.read_text(encoding='utf-8').split('\n')[int(m.group(2)) - 1]
                if not re.match(rf'\s*(async\s+)?(def|class)\s+{re.escape(name)}\b', line):
                    wrong.append(f'{modname}.{name}: source link {e["source"]} lands on {line.strip()!r}')
    assert not missing, f'{len(missing)} public names without an API entry:\n' + '\n'.join(missing)
    assert not wrong, '\n'.join(wrong)


def test_maths_is_typeset_and_no_raw_tex_is_left(crawl):
    "Every page with TeX in its notebook shows MathJax output and no `$...$` or `\\(...\\)` left in its prose."
    chapters = {v[1].name: v[0] for v in _chapters().values()}
    typeset = 0
    for nb_name, path in chapters.items():
        src = (ROOT / 'nbs' / nb_name).read_text()
        n, prose = crawl[path]['mathjax'], crawl[path]['prose']
        raw = re.findall(r'\$[^$\s][^$\n]{0,80}\$|\\\(.{0,80}?\\\)', prose)
        assert not raw, f'{path}: raw TeX left: {raw[:5]}'
        if re.search(r'\$[^$\s\\"]', src) and re.search(r'\\\\(frac|sum|sqrt|cos|sin|mathrm|lVert|cdot|operatorname)', src):
            assert n > 0, f'{path}: its notebook has TeX but the page has no MathJax output'
            typeset += n
    assert typeset > 20


def test_hidden_cells_are_gone_and_exported_code_is_shown(crawl):
    for modname, (path, nb) in _chapters().items():
        cells = json.loads(nb.read_text())['cells']
        text, exported = crawl[path]['text'], crawl[path]['exported']
        for c in cells:
            src = ''.join(c['source'])
            body = [l for l in src.split('\n') if l.strip() and not l.startswith('#|')]
            if c['cell_type'] != 'code' or not body: continue
            if re.search(r'^#\|\s*hide\s*$', src, re.M):
                assert '\n'.join(body) not in text, f'{path}: a #| hide cell is shown: {body[0]!r}'
            elif re.search(r'^#\|\s*export\s*$', src, re.M):
                line = next((l for l in body if re.match(r'(def|class) ', l)), body[0])
                assert line.strip() in exported, f'{path}: exported code missing: {line!r}'


def test_screenshots_of_the_landing_page_and_a_chapter(site, browser, server):
    tab = Page(browser, server)             # a fresh tab: nothing left from the search test (highlighted matches)
    out = Path(os.environ.get('SKETCHCOLOR_SCREENSHOTS', ROOT / 'run' / 'screenshots'))
    out.mkdir(parents=True, exist_ok=True)
    shots = {'landing.png': 'index.html', 'chapter-colors.png': _chapters()['sketchcolor.colors'][0]}
    for name, path in shots.items():
        page = tab.open(path)
        page.screenshot(path=str(out / name))
        assert (out / name).stat().st_size > 20_000, f'{out / name} looks empty'
        print(f'screenshot: {out / name}')
    title = tab.open('index.html').title()
    tab.page.close()
    assert 'sketchcolor' in title


def test_every_notebook_opens_with_the_python3_kernel():
    "JupyterLab opens each chapter with its kernel instead of asking (nbdev_clean keeps `kernelspec`)."
    notebooks = [p for p in sorted((ROOT / 'nbs').rglob('*.ipynb'))
                 if not any(s.startswith(('.', '_')) for s in p.relative_to(ROOT / 'nbs').parts)
                 and 'fixtures' not in p.relative_to(ROOT / 'nbs').parts]
    assert len(notebooks) >= 10
    bad = [p.name for p in notebooks
           if json.loads(p.read_text())['metadata'].get('kernelspec', {}).get('name') != 'python3']
    assert not bad, f'notebooks without the python3 kernelspec: {bad}'
