#!/usr/bin/env bash
# Sourced by tools/gpu_pretrain.sh and tools/gpu_downstream_det.sh: puts the
# checkout on PYTHONPATH and installs, from the carried .whl folder
# (tools/gpu_prepare.sh), the pure-Python packages the lent machine's image
# lacks. Needs ROOT (the checkout) and PY (the python to use).
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# gpu_install MODULE PACKAGE...: pip-install PACKAGEs from .whl when
# 'import MODULE' fails.
gpu_install() {
  local module=$1
  shift
  if "$PY" -c "import $module" 2>/dev/null; then
    return 0
  fi
  if [ ! -d "$ROOT/.whl" ]; then
    echo "$(basename "$0"): no $module and no .whl folder; run" \
      "'bash tools/gpu_prepare.sh' here and carry .whl" >&2
    exit 2
  fi
  "$PY" -m pip install -q --no-index --no-deps --find-links "$ROOT/.whl" "$@"
}

gpu_install mmengine mmengine addict termcolor yapf platformdirs
