#!/usr/bin/env bash
# Prepare, here, what a GPU script needs on a bare lent GPU machine, so it
# can travel with the checkout (device tool carry, 64 MiB in all):
#
#   bash tools/gpu_prepare.sh [pretrain]   # for tools/gpu_pretrain.sh
#     carry ["data/pretrain_packed", ".whl"]
#   bash tools/gpu_prepare.sh det          # for tools/gpu_downstream_det.sh
#     carry ["data/msrs361_packed", ".whl"]
#
#   - data/pretrain_packed: the shared photos, resized (< 32 MiB);
#   - data/msrs361_packed: MSRS-361 detection at 640x480, JPEG (< 30 MiB);
#   - .whl: wheels of mmengine 0.10.7 and the pure-Python dependencies the
#     lent machine's image lacks (it has torch, numpy, opencv, pyyaml, rich,
#     scipy); for det also mmdet 3.3.0, its dependencies, and the mmcv 2.1.0
#     source, which gpu_downstream_det.sh compiles there with CUDA ops.
# PYV=3.12 (default) is the lent machine's Python version.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WHAT=${1:-pretrain}
PYV=${PYV:-3.12}
PY=${PY:-python}
DOWNLOAD=(python3 -m pip download --no-deps -d .whl)
"${DOWNLOAD[@]}" --only-binary=:all: --python-version "$PYV" \
  mmengine==0.10.7 addict termcolor yapf platformdirs
case "$WHAT" in
  pretrain)
    if [ ! -d data/pretrain_packed ]; then
      "$PY" tools/dataset_converters/pack_pretrain_photos.py \
        --src ../shared/data/pretrain --dst data/pretrain_packed
    fi
    du -sh data/pretrain_packed .whl ;;
  det)
    if [ ! -d data/msrs361_packed ]; then
      "$PY" tools/dataset_converters/pack_msrs361_det.py \
        --src ../shared/data/detection/msrs361 --dst data/msrs361_packed
    fi
    "${DOWNLOAD[@]}" --only-binary=:all: --python-version "$PYV" \
      mmdet==3.3.0 pycocotools shapely terminaltables
    # the source: its metadata step imports torch, so use PY's environment
    "$PY" -m pip download --no-deps --no-build-isolation --no-binary=:all: \
      -d .whl mmcv==2.1.0
    du -sh data/msrs361_packed .whl ;;
  *)
    echo "gpu_prepare.sh: unknown target '$WHAT' (pretrain or det)" >&2
    exit 2 ;;
esac
