"""Write ``configs/fusion/metafile.yml`` from a benchmark_fusion.py JSON.

Every metric value is written with the same 4 significant digits as the
markdown tables of benchmark_fusion.py, so the metafile and the README
tables (pasted from that markdown) show the same numbers::

    python tools/analysis_tools/benchmark_fusion.py --out-dir work_dirs/benchmark_fusion ...
    python tools/analysis_tools/fusion_metafile.py \
        work_dirs/benchmark_fusion/benchmark_fusion.json configs/fusion/metafile.yml
"""
import argparse
import json
import os.path as osp
import sys

import yaml

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_fusion import _fmt  # noqa: E402

TASKS = dict(
    tno25='Infrared-Visible Image Fusion',
    roadscene50='Infrared-Visible Image Fusion',
    msrs361='Infrared-Visible Image Fusion',
    mri_ct='Medical Image Fusion',
    mri_pet='Medical Image Fusion',
    mri_spect='Medical Image Fusion',
    mefb='Multi-Exposure Image Fusion',
    lytro='Multi-Focus Image Fusion')
# The metrics listed in the metafile (all of them are in the README tables).
KEEP = ('EN', 'SD', 'SF', 'AG', 'MI', 'SCD', 'VIF', 'Qabf', 'SSIM', 'PSNR',
        'MEF-SSIM')
ARCHS = dict(
    average='AverageFusion',
    maxabs='MaxAbsFusion',
    laplacian='LaplacianPyramidFusion',
    gff='GuidedFilterFusion',
    wavelet='WaveletFusion')


def build(results, checkpoints):
    models = []
    for dataset, by_method in results['metrics'].items():
        for method, metrics in by_method.items():
            model = {
                'Name': f'{method}_{dataset}',
                'In Collection': 'DeFusionPP-ZeroShot' if method.startswith(
                    'defusionpp') else 'ClassicalFusion',
                'Config': f'configs/fusion/{method}_{dataset}.py',
                'Metadata': {
                    'Architecture': ARCHS.get(method, 'DeFusionPP')
                },
                'Results': [{
                    'Task': TASKS.get(dataset, 'Image Fusion'),
                    'Dataset': dataset,
                    'Metrics': {
                        k: float(_fmt(float(metrics[k])))
                        for k in KEEP if metrics.get(k) is not None
                    }
                }]
            }
            ckpt = checkpoints.get(method)
            if ckpt and ckpt != 'none':
                model['Weights'] = ckpt
            models.append(model)
    return {
        'Collections': [{
            'Name': 'ClassicalFusion',
            'Metadata': {
                'Training Data': 'none (training-free)'
            },
            'README': 'configs/fusion/README.md'
        }, {
            'Name': 'DeFusionPP-ZeroShot',
            'Metadata': {
                'Training Data': 'self-supervised pretext pairs only (no '
                'fusion data)'
            },
            'README': 'configs/fusion/README.md'
        }],
        'Models': models
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('json_file')
    parser.add_argument('out_file')
    args = parser.parse_args(argv)
    with open(args.json_file) as f:
        results = json.load(f)
    meta = build(results, results.get('checkpoints', {}))
    with open(args.out_file, 'w') as f:
        yaml.safe_dump(meta, f, sort_keys=False, width=100)
    print(f'wrote {len(meta["Models"])} models to {args.out_file}')


if __name__ == '__main__':
    main()
