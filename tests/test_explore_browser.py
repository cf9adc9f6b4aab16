"""The z explorer as a user meets it: JupyterLab on a free port of 127.0.0.1 (no token, in a temporary folder), a
notebook that shows a `ZExplorer` of the default colorizer on the bundled example, read and driven in a real headless
Chromium (Playwright with Debian's /usr/bin/chromium; no browser download, no network): run the cell, drag a slider,
paint a stroke, and check each time that the image on the page changes.

Screenshots go to $SKETCHCOLOR_SCREENSHOTS (default run/screenshots); the test prints their paths.
"""
import json, os, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get('SKETCHCOLOR_CHROMIUM', '/usr/bin/chromium')
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync']
CELL = """import torch
torch.set_num_threads(1)
from sketchcolor.explore import ZExplorer
from sketchcolor.inference import example_paths
sketch, hint = example_paths()
ex = ZExplorer(sketch, hint, size=128)          # the default colorizer, whatever load_colorizer() returns
ex"""


def _missing(why):
    "No browser: a failure under CI (which installs it), a skip with the reason on a developer's machine."
    if os.environ.get('CI'): pytest.fail(why)
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture()
def lab(tmp_path):
    "JupyterLab serving `tmp_path/explore.ipynb`; yields its URL; stopped (with its kernels) afterwards."
    nb = dict(cells=[dict(cell_type='code', execution_count=None, id='explorer', metadata={}, outputs=[], source=CELL)],
              metadata=dict(kernelspec=dict(display_name='Python 3', language='python', name='python3')),
              nbformat=4, nbformat_minor=5)
    (tmp_path / 'explore.ipynb').write_text(json.dumps(nb))
    settings = tmp_path / 'settings' / '@jupyterlab' / 'apputils-extension'
    settings.mkdir(parents=True)
    (settings / 'notification.jupyterlab-settings').write_text(json.dumps(dict(fetchNews='false', checkForUpdates=False)))
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / 'config'), JUPYTER_RUNTIME_DIR=str(tmp_path / 'runtime'),
               IPYTHONDIR=str(tmp_path / 'ipython'), MPLBACKEND='Agg')
    log = open(tmp_path / 'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
                             '--ServerApp.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True',
                             f'--ServerApp.root_dir={tmp_path}', f'--LabApp.user_settings_dir={tmp_path / "settings"}',
                             f'--LabApp.workspaces_dir={tmp_path / "workspaces"}', '--LabApp.news_url=',
                             '--ServerApp.port_retries=0', *(['--allow-root'] if os.geteuid() == 0 else [])],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(240):
            if proc.poll() is not None: pytest.fail(f'JupyterLab exited:\n{(tmp_path / "lab.log").read_text()[-3000:]}')
            try:
                with urllib.request.urlopen(url + '/api/status', timeout=2): break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f'JupyterLab did not answer on {url}:\n{(tmp_path / "lab.log").read_text()[-3000:]}')
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)               # the server and the kernels it started (its own session)
            try: proc.wait(20)
            except subprocess.TimeoutExpired: os.killpg(proc.pid, 9); proc.wait()
        log.close()


def _until(check, timeout: float, what: str):
    "Poll `check()` until it returns something truthy; fail naming `what` after `timeout` seconds."
    end = time.time() + timeout
    while time.time() < end:
        v = check()
        if v: return v
        time.sleep(0.25)
    pytest.fail(f'timed out after {timeout:.0f} s waiting for {what}')


def test_explorer_in_jupyterlab_reacts_to_slider_and_painting(lab):
    try: from playwright.sync_api import sync_playwright
    except ImportError: _missing('playwright is not installed (pip install -e ".[dev]")')
    if not Path(CHROMIUM).is_file(): _missing(f'{CHROMIUM} is missing (apt-get install chromium)')
    out = Path(os.environ.get('SKETCHCOLOR_SCREENSHOTS', ROOT / 'run' / 'screenshots'))
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport=dict(width=1400, height=1100))
            errors = []
            page.on('pageerror', lambda e: errors.append(str(e)))
            page.goto(lab + '/lab/tree/explore.ipynb', timeout=120_000)
            page.wait_for_selector('.jp-Notebook .jp-Cell .cm-content', timeout=120_000)
            _until(lambda: page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').count()
                   or 'Idle' in (page.locator('.jp-StatusBar-TextItem').all_inner_texts() or [''])[-1]
                   or page.locator('text=Kernel status: Idle').count(), 90, 'the kernel to start')
            prompt = page.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt').first
            for attempt in range(4):                                            # run the cell (again if the keys were lost)
                page.locator('.jp-Notebook .jp-Cell .cm-content').first.click()
                page.keyboard.press('Shift+Enter')
                try:
                    _until(lambda: any(m in prompt.inner_text() for m in ('[*]', '[1]')), 15, 'the cell to start')
                    break
                except pytest.fail.Exception:
                    if attempt == 3: raise
            image = page.locator('.jp-OutputArea-output img.widget-image').first
            image.wait_for(state='visible', timeout=150_000)
            canvas = page.locator('.jp-OutputArea-output canvas').first
            canvas.wait_for(state='visible', timeout=30_000)
            _until(lambda: (image.get_attribute('src') or '').startswith('blob:'), 30, 'the first image')
            page.wait_for_timeout(500)
            shots = {}
            def shot(name):
                shots[name] = out / f'explore_{name}.png'
                page.screenshot(path=str(shots[name]), full_page=True)
            shot('start'); first = image.screenshot()

            # drag the first principal-direction slider to the right
            slider = page.locator('.widget-slider', has=page.locator('label', has_text='PC1 (')).first
            handle = slider.locator('.noUi-handle').first
            handle.scroll_into_view_if_needed()
            box = handle.bounding_box()
            x, y = box['x'] + box['width'] / 2, box['y'] + box['height'] / 2
            t0 = time.time()
            page.mouse.move(x, y); page.mouse.down()
            for i in range(1, 11): page.mouse.move(x + 9 * i, y, steps=2)
            page.mouse.up()
            readout = slider.locator('.widget-readout').first
            _until(lambda: readout.inner_text().strip() not in ('0.00', '0.0', '0'), 10, 'the slider value to change')
            moved = _until(lambda: (lambda b: b if b != first else None)(image.screenshot()), 30,
                           'the image to change after the slider drag')
            t_slider = time.time() - t0
            shot('slider')

            # paint a stroke across the canvas
            canvas.scroll_into_view_if_needed()
            cbox = canvas.bounding_box()
            before_canvas = canvas.screenshot()
            t0 = time.time()
            cx, cy = cbox['x'] + cbox['width'] * 0.2, cbox['y'] + cbox['height'] * 0.3
            page.mouse.move(cx, cy); page.mouse.down()
            for i in range(1, 16): page.mouse.move(cx + cbox['width'] * 0.04 * i, cy + cbox['height'] * 0.03 * i, steps=2)
            page.mouse.up()
            _until(lambda: canvas.screenshot() != before_canvas, 15, 'the stroke to show on the canvas')
            _until(lambda: image.screenshot() not in (first, moved), 30, 'the image to change after painting')
            t_paint = time.time() - t0
            page.wait_for_timeout(300)
            shot('painted')
            image.screenshot(path=str(out / 'explore_result.png'))
            assert not [e for e in errors if 'widget' in e.lower() or 'canvas' in e.lower()], errors
        except BaseException:
            page.screenshot(path=str(out / 'explore_failure.png'), full_page=True)
            print(f'screenshot of the failure: {out / "explore_failure.png"}')
            raise
        finally:
            browser.close()
    for name, path in shots.items(): print(f'screenshot: {path}')
    print(f'browser test: image changed {t_slider:.2f} s after the slider drag began, {t_paint:.2f} s after the stroke began; '
          f'{time.time() - t_start:.0f} s in the browser')
