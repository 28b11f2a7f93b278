#!/usr/bin/env bash
# Prepare what tools/gpu_pretrain.sh needs on a bare GPU machine, here, so
# it can travel with the checkout (carry: data/pretrain_packed and .whl):
#   - data/pretrain_packed: the shared photos, resized (< 60 MiB);
#   - .whl: pure-Python wheels of mmengine 0.10.7 and the dependencies the
#     lent machine's image lacks (it has torch, numpy, opencv, pyyaml, rich).
#
#   bash tools/gpu_prepare.sh [PYTHON_VERSION_OF_THE_GPU_MACHINE (3.12)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYV=${1:-3.12}
PY=${PY:-python}
if [ ! -d data/pretrain_packed ]; then
  "$PY" tools/dataset_converters/pack_pretrain_photos.py \
    --src ../shared/data/pretrain --dst data/pretrain_packed
fi
python3 -m pip download --no-deps --only-binary=:all: --python-version "$PYV" \
  -d .whl mmengine==0.10.7 addict termcolor yapf platformdirs
du -sh data/pretrain_packed .whl
