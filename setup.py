"""Install script of defusion (``pip install -e .``).

The OpenMMLab stack (requirements/mminstall.txt) is not declared as a hard
dependency: mmcv must be compiled with ops against the torch already in the
environment, which ``tools/install.sh`` does. torch itself is expected to be
installed first (the CPU wheel, see README).
"""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_version():
    namespace = {}
    with open(osp.join(HERE, 'defusion', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


def read_requirements(name):
    lines = []
    with open(osp.join(HERE, 'requirements', name)) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if line and not line.startswith('-r'):
                lines.append(line)
    return lines


setup(
    name='defusion',
    version=read_version(),
    description='DeFusion++: self-supervised image fusion from decomposition, '
    'an OpenMMLab-style toolbox',
    long_description=open(osp.join(HERE, 'README.md')).read()
    if osp.exists(osp.join(HERE, 'README.md')) else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    include_package_data=True,
    python_requires='>=3.8',
    install_requires=read_requirements('runtime.txt'),
    extras_require={
        'mim': read_requirements('mminstall.txt'),
        'tests': read_requirements('tests.txt'),
    },
    license='Apache License 2.0',
    zip_safe=False)
