#!/usr/bin/env bash
# DeFusion++ pretraining on one lent GPU in under 10 minutes.
#
#   bash tools/gpu_pretrain.sh OUT_DIR [train.py options]
#
# Trains configs/defusionpp/defusionpp_vit-tiny-p16_1xb128-4000iter_packed-224px_gpu.py
# (224 px, bf16 autocast, identity init, time budget) on the packed photos in
# data/pretrain_packed. Make them first, here, with tools/gpu_prepare.sh
# (photos + mmengine wheels) and carry data/pretrain_packed and .whl; the
# wheels are installed when the machine's Python has no mmengine. Then it
# writes to
# OUT_DIR: the stripped fp16 checkpoint, the training log, and a summary
# line with pairs/s and the pretext PSNR / SSIM on the packed val photos.
# CONFIG=... selects another config (the test suite runs a CPU dry run);
# WORK=... puts the full training checkpoints elsewhere (default OUT/work);
# SPLIT_MIB=15 also cuts the published checkpoint into parts of that size
# (the lent machine returns files of at most 16 MiB; join them with
# cat FILE.part* > FILE).
#
# On a lent GPU (device tool), from the repository root:
#   command: WORK=/tmp/gpu_work SPLIT_MIB=15 bash tools/gpu_pretrain.sh $OUT
#   carry:   ["data/pretrain_packed", ".whl"]
set -euo pipefail -o pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${1:?usage: bash tools/gpu_pretrain.sh OUT_DIR [train.py options]}
shift
CONFIG=${CONFIG:-configs/defusionpp/defusionpp_vit-tiny-p16_1xb128-4000iter_packed-224px_gpu.py}
PY=${PY:-python3}
if [ ! -d data/pretrain_packed/coco ]; then
  echo "gpu_pretrain.sh: data/pretrain_packed not found; run" \
    "'bash tools/gpu_prepare.sh' (tools/dataset_converters/pack_pretrain_photos.py) first" >&2
  exit 2
fi
# shellcheck source=tools/gpu_env.sh
source "$ROOT/tools/gpu_env.sh"
mkdir -p "$OUT"
WORK=${WORK:-$OUT/work}
AMP=()
if "$PY" -c "import torch, sys; sys.exit(not torch.cuda.is_available())"; then
  AMP=(--amp --amp-dtype bfloat16)
else
  echo "gpu_pretrain.sh: no CUDA device: dry run on the CPU without autocast" >&2
fi
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK" "${AMP[@]}" "$@" 2>&1 | tee "$OUT/train.log"
LAST=$(cat "$WORK/last_checkpoint")
"$PY" tools/model_converters/publish_model.py "$LAST" \
  "$OUT/defusionpp_vit-tiny-p16_gpu-pretext.pth" --fp16 | tee -a "$OUT/train.log"
"$PY" tools/analysis_tools/run_summary.py "$WORK" | tee "$OUT/summary.txt"
if [ -n "${SPLIT_MIB:-}" ]; then
  for f in "$OUT"/defusionpp_vit-tiny-p16_gpu-pretext*.pth; do
    split -b "${SPLIT_MIB}m" -d "$f" "$f.part" && rm "$f"
  done
fi
