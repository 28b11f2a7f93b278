"""Check ``model-index.yml`` and the metafiles it imports.

Checks (paths are relative to the repository root):

- ``model-index.yml`` exists and its ``Import`` list names metafiles that
  exist (``configs/<folder>/metafile.yml``) and parse, and every
  ``configs/*/metafile.yml`` is imported;
- every model has a unique ``Name`` and a ``Config`` file that exists;
- every ``Weights`` is a local file that loads with
  ``torch.load(path, weights_only=True)`` (no URLs: nothing is downloaded);
- every number under ``Results[].Metrics`` appears in the README.md of the
  metafile's folder (or, if it is not there, in the README.md of the
  folder of the model's ``Config``), written with the same digits (a number
  token of the README whose value equals it; ``7.10`` and ``7.1`` match,
  ``7.01`` does not match ``7.0123`` or ``17.01``); non-numeric values must
  appear verbatim.

Example::

    python tools/analysis_tools/check_model_index.py          # this repo
    python tools/analysis_tools/check_model_index.py --root /path/to/repo

Prints one line per problem and exits with 1 if there is any, else prints a
summary and exits with 0.
"""
import argparse
import glob
import os.path as osp
import re
import sys
from typing import List, Tuple

import yaml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
INDEX_FILE = 'model-index.yml'
NUMBER = re.compile(r'(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])')


def _read_yaml(path: str, problems: List[str], what: str):
    try:
        with open(path, encoding='utf-8') as f:
            return yaml.safe_load(f)
    except yaml.YAMLError as err:
        problems.append(f'{what} {path}: invalid YAML: {err}')
    except OSError as err:
        problems.append(f'{what} {path}: cannot read: {err}')
    return None


def readme_numbers(text: str) -> set:
    """The values of all number tokens of a text."""
    values = set()
    for token in NUMBER.findall(text):
        try:
            values.add(float(token))
        except ValueError:  # pragma: no cover (the regex gives floats)
            pass
    return values


def check_weights(path: str) -> str:
    """'' if ``path`` loads with ``weights_only=True``, else the reason."""
    import torch
    try:
        torch.load(path, map_location='cpu', weights_only=True)
    except Exception as err:  # any failure is a problem to report
        first = str(err).strip().splitlines()[0] if str(err).strip() else ''
        return f'{type(err).__name__}: {first}'
    return ''


def check_metafile(root: str, metafile: str, problems: List[str],
                   names: dict) -> Tuple[int, int]:
    """Check one metafile; returns (number of models, metrics checked)."""
    path = osp.join(root, metafile)
    meta = _read_yaml(path, problems, 'metafile')
    if meta is None:
        return 0, 0
    if not isinstance(meta, dict) or not isinstance(meta.get('Models'),
                                                    list):
        problems.append(f'{metafile}: no "Models" list')
        return 0, 0
    readme_path = osp.join(osp.dirname(path), 'README.md')
    readme_cache = {}

    def readme_of(folder):
        """(text or None, number values) of ``folder``/README.md."""
        if folder not in readme_cache:
            file = osp.join(folder, 'README.md')
            text = None
            if osp.isfile(file):
                with open(file, encoding='utf-8') as f:
                    text = f.read()
            readme_cache[folder] = (text, readme_numbers(text or ''))
        return readme_cache[folder]

    collections = {
        c.get('Name')
        for c in meta.get('Collections') or [] if isinstance(c, dict)
    }
    num_metrics = 0
    for i, model in enumerate(meta['Models']):
        if not isinstance(model, dict):
            problems.append(f'{metafile}: Models[{i}] is not a mapping')
            continue
        name = model.get('Name')
        where = f'{metafile}: model {name!r}' if name else \
            f'{metafile}: Models[{i}]'
        if not name:
            problems.append(f'{where}: no Name')
        elif name in names:
            problems.append(f'{where}: Name also used in {names[name]}')
        else:
            names[name] = metafile
        collection = model.get('In Collection')
        if collection and collection not in collections:
            problems.append(f'{where}: In Collection {collection!r} is not '
                            f'a Collection of {metafile}')
        config = model.get('Config')
        config = str(config) if config else None
        if not config:
            problems.append(f'{where}: no Config')
        elif not osp.isfile(osp.join(root, config)):
            problems.append(f'{where}: Config {config} does not exist')
        weights = model.get('Weights')
        if weights:
            weights = str(weights)
            if re.match(r'^[a-z]+://', weights):
                problems.append(f'{where}: Weights {weights} is a URL; '
                                'give a local path in the repository')
            elif not osp.isfile(osp.join(root, weights)):
                problems.append(f'{where}: Weights {weights} does not exist')
            else:
                reason = check_weights(osp.join(root, weights))
                if reason:
                    problems.append(
                        f'{where}: Weights {weights} does not load with '
                        f'torch.load(weights_only=True): {reason}')
        results = model.get('Results') or []
        if not isinstance(results, list):
            problems.append(f'{where}: Results is not a list')
            continue
        folders = [osp.dirname(path)]
        if config:
            config_folder = osp.dirname(osp.join(root, config))
            if osp.normpath(config_folder) != osp.normpath(folders[0]):
                folders.append(config_folder)
        readmes = [readme_of(folder) for folder in folders]
        readmes = [r for r in readmes if r[0] is not None]
        for j, result in enumerate(results):
            metrics = result.get('Metrics') if isinstance(result,
                                                          dict) else None
            if not isinstance(metrics, dict):
                problems.append(f'{where}: Results[{j}] has no Metrics '
                                'mapping')
                continue
            dataset = result.get('Dataset', f'Results[{j}]')
            for key, value in metrics.items():
                num_metrics += 1
                if not readmes:
                    problems.append(f'{where}: {readme_path} does not exist '
                                    f'(needed for {dataset} {key})')
                    continue
                if isinstance(value, bool) or not isinstance(
                        value, (int, float)):
                    found = any(str(value) in text for text, _ in readmes)
                else:
                    found = any(float(value) in numbers
                                for _, numbers in readmes)
                if not found:
                    readme_names = ' or '.join(
                        osp.relpath(osp.join(f, 'README.md'), root)
                        for f in folders)
                    problems.append(
                        f'{where}: {dataset} {key} = {value} does not '
                        f'appear in {readme_names}')
    return len(meta['Models']), num_metrics


def check_model_index(root: str = REPO) -> Tuple[List[str], dict]:
    """Run all checks on the repository at ``root``.

    Returns:
        tuple: (problems as one-line strings, summary dict with
        ``metafiles``, ``models`` and ``metrics`` counts).
    """
    problems = []
    summary = dict(metafiles=0, models=0, metrics=0)
    index_path = osp.join(root, INDEX_FILE)
    if not osp.isfile(index_path):
        problems.append(
            f'{INDEX_FILE} not found at the repository root ({root}); it '
            'must list the metafiles, e.g. "Import:\\n  - '
            'configs/defusionpp/metafile.yml"')
        return problems, summary
    index = _read_yaml(index_path, problems, 'model index')
    if index is None and problems:
        return problems, summary
    imports = index.get('Import') if isinstance(index, dict) else None
    if not isinstance(imports, list) or not imports:
        problems.append(f'{INDEX_FILE}: no "Import" list of metafiles')
        return problems, summary
    names = {}
    for metafile in imports:
        metafile = str(metafile)
        if not osp.isfile(osp.join(root, metafile)):
            problems.append(f'{INDEX_FILE}: imported metafile {metafile} '
                            'does not exist')
            continue
        summary['metafiles'] += 1
        models, metrics = check_metafile(root, metafile, problems, names)
        summary['models'] += models
        summary['metrics'] += metrics
    imported = {osp.normpath(str(m)) for m in imports}
    for metafile in sorted(glob.glob(osp.join(root, 'configs', '*',
                                              'metafile.yml'))):
        rel = osp.relpath(metafile, root)
        if osp.normpath(rel) not in imported:
            problems.append(f'{rel} is not imported by {INDEX_FILE}')
    return problems, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description='Check model-index.yml and its metafiles.')
    parser.add_argument(
        '--root', default=REPO, help='repository root (default: this repo)')
    args = parser.parse_args(argv)
    if not osp.isdir(args.root):
        print(f'check_model_index.py: error: --root {args.root} is not a '
              'folder', file=sys.stderr)
        return 2
    problems, summary = check_model_index(args.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f'{len(problems)} problem(s)', file=sys.stderr)
        return 1
    print(f'model index OK: {summary["metafiles"]} metafile(s), '
          f'{summary["models"]} model(s), {summary["metrics"]} metric '
          'value(s) found in the READMEs')
    return 0


if __name__ == '__main__':
    sys.exit(main())
