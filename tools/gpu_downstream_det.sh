#!/usr/bin/env bash
# The MSRS-361 detection protocol at the papers' resolution (640x480) on one
# lent GPU: the four variants (DeFusion++ pretrained, random init,
# visible-only, IR-only), seeds 0 and 1 for the first two, 4 runs at once.
#
#   bash tools/gpu_downstream_det.sh OUT_DIR [run_downstream_det.py options]
#
# Make the data and wheels first, here: 'bash tools/gpu_prepare.sh det'.
# Device tool, from the repository root:
#   command: bash tools/gpu_downstream_det.sh $OUT
#   carry:   ["data/msrs361_packed", ".whl"]
# The lent machine's image has no mmcv: the first call compiles mmcv 2.1.0
# with CUDA ops for the H200 (sm_90) from the carried source into
# .gpu_build/ (MMCV_ONLY=1 stops after that step, so the compile and the
# runs can be two calls on the same warm machine). Writes to OUT_DIR:
# results.md (final mAP and learning curves), each run's scalars.json and
# log. PROTOCOL=finetune|frozen (default finetune), ITERS (default 1500),
# CONFIG (default the 640 px GPU config); WORK holds the full runs
# (default /tmp/gpu_det).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${1:?usage: bash tools/gpu_downstream_det.sh OUT_DIR [options]}
shift
CONFIG=${CONFIG:-configs/downstream/faster-rcnn_defusionpp-vit-tiny-p16_fpn_1xb8-amp-iter_msrs361-640px_gpu.py}
PROTOCOL=${PROTOCOL:-finetune}
ITERS=${ITERS:-1500}
WORK=${WORK:-/tmp/gpu_det}
PY=${PY:-python3}
if [ ! -d data/msrs361_packed/vi ]; then
  echo "gpu_downstream_det.sh: data/msrs361_packed not found; run" \
    "'bash tools/gpu_prepare.sh det' first and carry it" >&2
  exit 2
fi
# shellcheck source=tools/gpu_env.sh
source "$ROOT/tools/gpu_env.sh"
if ! "$PY" -c "import mmcv.ops" 2>/dev/null; then
  SDIST=$(ls .whl/mmcv-2.1.0.tar.gz 2>/dev/null || true)
  if [ -z "$SDIST" ]; then
    echo "gpu_downstream_det.sh: no mmcv and no .whl/mmcv-2.1.0.tar.gz;" \
      "run 'bash tools/gpu_prepare.sh det' and carry .whl" >&2
    exit 2
  fi
  mkdir -p .gpu_build
  if ! ls .gpu_build/mmcv-2.1.0-*.whl >/dev/null 2>&1; then
    echo "compiling mmcv 2.1.0 with CUDA ops ($(nproc) jobs)"
    start=$SECONDS
    MMCV_WITH_OPS=1 FORCE_CUDA=1 TORCH_CUDA_ARCH_LIST=9.0 MAX_JOBS=$(nproc) \
      "$PY" -m pip wheel -q --no-deps --no-build-isolation -w .gpu_build "$SDIST"
    echo "mmcv compiled in $((SECONDS - start)) s"
  fi
  "$PY" -m pip install -q --no-index --no-deps .gpu_build/mmcv-2.1.0-*.whl
fi
gpu_install mmdet mmdet pycocotools shapely terminaltables
if [ -n "${MMCV_ONLY:-}" ]; then
  "$PY" -c "import mmcv, mmcv.ops, mmdet; print('mmcv', mmcv.__version__, 'mmdet', mmdet.__version__)"
  exit 0
fi
mkdir -p "$OUT"
"$PY" tools/analysis_tools/run_downstream_det.py --config "$CONFIG" \
  --protocol "$PROTOCOL" --max-iters "$ITERS" \
  --val-interval $((ITERS / 5)) --seeds 0 1 --jobs 4 --work-root "$WORK" \
  --out "$OUT/results.md" "$@" | tee "$OUT/run.log"
for run in "$WORK/$PROTOCOL"/*/; do
  name=$(basename "$run")
  mkdir -p "$OUT/$name"
  cp "$run"/*/vis_data/scalars.json "$run"/train_stdout.log \
    "$run"/run_info.json "$OUT/$name/" 2>/dev/null || true
done
