#!/usr/bin/env bash
# Peer benchmark: Stable-Baselines3 PPO on dm_control tasks (CPU).
#
# Creates .venv-peers/ in the repository root on first use (Python 3.10:
# mujoco 2.2.2 ships no wheels for 3.11+), installs torch, stable-baselines3,
# gymnasium, mujoco 2.2.2 and dm-control 1.0.7 into it, then runs
# sb3_ppo_bench.py with all arguments passed through.
#
#   scripts/peers/sb3_ppo_bench.sh --task cartpole-balance --total-steps 20480
#   scripts/peers/sb3_ppo_bench.sh --install-only
#
# Threads are pinned to 1 (torch, OpenMP, MKL, OpenBLAS) unless already set.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
VENV="$REPO_ROOT/.venv-peers"
PINS=("torch" "stable-baselines3" "gymnasium" "mujoco==2.2.2" "dm-control==1.0.7" "numpy<2")

# shellcheck source=../lib/python310.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/python310.sh"

INSTALL_ONLY=0
ARGS=()
for a in "$@"; do
  if [[ "$a" == "--install-only" ]]; then INSTALL_ONLY=1; else ARGS+=("$a"); fi
done

if [[ ! -x "$VENV/bin/python" ]]; then
  if ! PY="$(find_python310)"; then
    echo "error: Python 3.10 not found. Expected \$(pyenv root)/versions/3.10.13/bin/python3" >&2
    echo "       (mujoco 2.2.2 has no wheels for Python 3.11+)." >&2
    echo "       Install it ('pyenv install 3.10.13') or set PYTHON310=/path/to/python3.10." >&2
    exit 1
  fi
  echo "Creating $VENV with $PY" >&2
  "$PY" -m venv "$VENV"
fi

# Install only if something is missing or a pin does not hold.
if ! "$VENV/bin/python" - <<'PY' >/dev/null 2>&1
import importlib.metadata as md, sys
v = md.version
ok = (v("mujoco") == "2.2.2" and v("dm-control") == "1.0.7"
      and int(v("numpy").split(".")[0]) < 2)
for name in ("torch", "stable-baselines3", "gymnasium"):
    v(name)  # raises if missing
sys.exit(0 if ok else 1)
PY
then
  echo "Installing ${PINS[*]} into $VENV (the PyPI torch wheel for Linux x86_64" >&2
  echo "pulls the nvidia-* CUDA runtime wheels: several GB, unused on CPU)." >&2
  t0=$(date +%s)
  "$VENV/bin/python" -m pip install "${PINS[@]}" >&2
  t1=$(date +%s)
  echo "Install took $((t1 - t0)) s; venv size: $(du -sh "$VENV" | cut -f1)" >&2
fi

if [[ "$INSTALL_ONLY" == 1 ]]; then exit 0; fi

# Physics only. Not "egl": dm_control's EGL backend loaded before torch's
# triton extension makes the latter segfault on import.
export MUJOCO_GL=disable
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
cd "$REPO_ROOT"
exec "$VENV/bin/python" "$SCRIPT_DIR/sb3_ppo_bench.py" ${ARGS[@]+"${ARGS[@]}"}
