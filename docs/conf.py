"""Sphinx configuration of the documentation site (built by `.ci/make_docs`, see docs/sitebuild.py)."""
import os
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(os.environ.get('SKETCHCOLOR_DOCS_ROOT', Path(__file__).resolve().parents[1]))
_ini = ConfigParser(delimiters=['='])
_ini.read(ROOT / 'settings.ini', encoding='utf-8')
_cfg = _ini['DEFAULT']

project = _cfg['lib_name']
author = _cfg['author']
copyright = _cfg['copyright']
release = version = _cfg['version']
language = 'en'
smartquotes = False                            # docstrings quote code ('fp32'): keep their quotes as written

extensions = ['myst_nb']
root_doc = 'index'
exclude_patterns = ['**/.ipynb_checkpoints']
suppress_warnings = ['myst.header']            # show_doc headings are level 3 wherever the chapter is

# The notebooks are rendered as committed: nothing is executed.
nb_execution_mode = 'off'
nb_merge_streams = True
nb_render_markdown_format = 'myst'
nb_ipywidgets_js = {}                          # no widget manager from a CDN: the chapters have no live widgets
nb_code_prompt_show = 'Show {type}'
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline', 'attrs_block', 'colon_fence']
myst_all_links_external = True                 # docs/sitebuild.py writes every link as a path inside the site
myst_update_mathjax = False                    # configured below

# Maths: MathJax 3 from the npm package, copied into _static/mathjax by docs/sitebuild.py; no network at any time.
mathjax_path = 'mathjax/tex-mml-chtml.js'
mathjax3_config = {
    'tex': {'inlineMath': [['\\(', '\\)']], 'displayMath': [['\\[', '\\]']]},
    'options': {'processHtmlClass': 'math|output_area', 'ignoreHtmlClass': 'tex2jax_ignore|mathjax_ignore|document'},
}

html_theme = 'furo'
html_title = project
html_static_path = ['_static']
html_css_files = ['sketchcolor.css']
html_favicon = '_static/favicon.png'      # an HSV colour wheel (docs/_static/favicon.png)
html_copy_source = False
html_show_sourcelink = False
html_baseurl = _cfg['doc_host'].rstrip('/') + '/' + _cfg['doc_baseurl'].strip('/') + '/'
html_theme_options = {'navigation_with_keys': True}
