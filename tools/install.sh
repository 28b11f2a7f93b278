#!/usr/bin/env bash
# Install defusion and its OpenMMLab stack into a virtual environment in the
# checkout (.venv). Idempotent: a second run with nothing changed only checks
# the stamp and the mmcv ops (seconds). The mmcv build (19-39 min measured on
# 2 quiet cores, more under load) is cached by pip, so reinstalling on the
# same machine takes seconds.
#
#   bash tools/install.sh          # create/update .venv
#   VENV=/path/to/venv bash tools/install.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
STAMP="$VENV/.defusion-install-stamp"

log() { echo "[install] $*"; }

if [ ! -x "$PY" ]; then
  log "creating virtual environment $VENV"
  python3 -m venv "$VENV"
fi

# The stamp records what was installed: requirements, setup.py and python.
want_stamp=$(cat "$ROOT"/requirements/*.txt "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)-$("$PY" -c 'import sys; print(sys.version.split()[0])')

check_ops() {
  "$PY" - <<'PYEOF'
import torch
from mmcv.ops import RoIAlign, nms
boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.], [50., 50., 60., 60.]])
scores = torch.tensor([0.9, 0.8, 0.7])
dets, keep = nms(boxes, scores, iou_threshold=0.5)
assert keep.tolist() == [0, 2], f'mmcv.ops.nms kept {keep.tolist()}, expected [0, 2]'
feat = torch.arange(16.).view(1, 1, 4, 4)
rois = torch.tensor([[0., 0., 0., 3., 3.]])
out = RoIAlign((2, 2), spatial_scale=1.0, sampling_ratio=2, aligned=True)(feat, rois)
assert out.shape == (1, 1, 2, 2), f'RoIAlign returned shape {tuple(out.shape)}'
import mmcv, mmdet, mmseg, mmengine, defusion
print(f'[install] ok: torch {torch.__version__}, mmengine {mmengine.__version__}, '
      f'mmcv {mmcv.__version__} (nms, RoIAlign run), mmdet {mmdet.__version__}, '
      f'mmseg {mmseg.__version__}, defusion {defusion.__version__}')
PYEOF
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ]; then
  if check_ops; then
    log "up to date (stamp matches); nothing to do"
    exit 0
  fi
  log "stamp matches but the check failed; reinstalling"
fi

# Every pip call takes the constraints file: it pins setuptools to a release
# that still ships pkg_resources (torch would otherwise pull the newest).
PIP=("$PY" -m pip install --disable-pip-version-check -c "$ROOT/requirements/constraints.txt")
# step NAME: log the wall time of the step before it, then start NAME.
step() {
  if [ -n "${STEP_NAME:-}" ]; then log "  ($STEP_NAME: $((SECONDS - STEP_START)) s)"; fi
  STEP_NAME="$1"; STEP_START=$SECONDS
  if [ -n "$1" ]; then log "$1"; fi
}
step "build tools"
"${PIP[@]}" -q -r "$ROOT/requirements/build.txt"
step "torch 2.13.0 (CPU wheel)"
"${PIP[@]}" -q torch==2.13.0
step "mmengine"
"${PIP[@]}" -q mmengine==0.10.7
if "$PY" -c "import mmcv, mmcv.ops, sys; sys.exit(mmcv.__version__ != '2.1.0')" 2>/dev/null; then
  step "mmcv 2.1.0 with ops already installed"
else
  if ! "$PY" -c "import pkg_resources" 2>/dev/null; then
    echo "[install] FAILED: 'import pkg_resources' does not work in $VENV (setuptools $("$PY" -c 'import setuptools; print(setuptools.__version__)' 2>/dev/null || echo missing)); mmcv 2.1.0 cannot build: run '$PY -m pip install \"setuptools>=77.0.3,<81\"' and retry" >&2
    exit 1
  fi
  step "mmcv 2.1.0 with ops: compiled from source unless pip's wheel cache has it (19-39 min measured on 2 quiet cores)"

  MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-2}" "${PIP[@]}" --no-build-isolation mmcv==2.1.0
fi
step "mmdet, mmsegmentation and the rest"
"${PIP[@]}" -q -r "$ROOT/requirements/mminstall.txt" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt"
step "defusion (editable)"
"${PIP[@]}" -q --no-build-isolation --no-deps -e "$ROOT"

step "checking mmcv ops"
if ! check_ops; then
  echo "[install] FAILED: mmcv ops (nms / RoIAlign) do not run; mmcv must be built with MMCV_WITH_OPS=1" >&2
  exit 1
fi
step ""
echo "$want_stamp" > "$STAMP"
log "done: activate with 'source $VENV/bin/activate' or call $PY"
