"""Package build for sketchcolor: everything is read from settings.ini (nbdev 2)."""
from configparser import ConfigParser
from pathlib import Path
import shlex
import setuptools
from setuptools.command.build_py import build_py

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

for key in 'version description keywords author author_email'.split():
    assert key in cfg, f'settings.ini is missing "{key}"'

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable',
            '6 - Mature', '7 - Inactive']
py_versions = '3.11 3.12'.split()

def _split(key): return shlex.split(cfg.get(key, '').strip())

requirements = _split('requirements')
dev_requirements = _split('dev_requirements')
extras = {'dev': dev_requirements}
for key in cfg:
    if key.startswith('extra_') and key.endswith('_requirements'):
        extras[key[len('extra_'):-len('_requirements')]] = _split(key)
lic = licenses[cfg['license']]
min_python = cfg['min_python']
scripts = [s for s in _split('console_scripts')]

# The shipped colorizers' weights live once in git, in weights/; wheels carry a copy as package data
# (sketchcolor/weights/, where `weight_candidates()` looks), made here at build time.
WEIGHTS = [Path('weights') / 'colorizer.safetensors', Path('weights') / 'thesis_colorizer.safetensors']

class build_py_with_weights(build_py):
    "build_py that also copies the shipped colorizer weights into the built package."
    def _dest(self, w): return Path(self.build_lib) / cfg['lib_path'] / 'weights' / w.name

    def run(self):
        super().run()
        if self.editable_mode: return                  # an editable install reads weights/ in the clone itself
        for w in WEIGHTS:
            if not w.is_file(): raise SystemExit(f'{w}: missing, a wheel without it cannot colour anything')
            self.mkpath(str(self._dest(w).parent))
            self.copy_file(str(w), str(self._dest(w)))

    def get_outputs(self, include_bytecode=True):
        out = super().get_outputs(include_bytecode)
        if self.editable_mode: return out
        return out + [str(self._dest(w)) for w in WEIGHTS]

setuptools.setup(
    name=cfg['lib_name'],
    license=lic[0],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'].title()] +
                ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=['sketchcolor', 'sketchcolor.*']),
    include_package_data=True,
    install_requires=requirements,
    extras_require=extras,
    dependency_links=cfg.get('dep_links', '').split(),
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    cmdclass={'build_py': build_py_with_weights},
    entry_points={'console_scripts': scripts, 'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
    **{k: cfg[k] for k in 'version description keywords author author_email'.split()})
