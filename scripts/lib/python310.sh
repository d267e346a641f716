# Sourced by scripts that need Python 3.10 (mujoco 2.2.2 has no wheels for
# 3.11+). find_python310 prints the first Python 3.10 found: $PYTHON310, then
# pyenv's 3.10.x versions, then python3.10 on PATH; it fails if there is none.
find_python310() {
  local candidates=() c root
  if [[ -n "${PYTHON310:-}" ]]; then candidates+=("$PYTHON310"); fi
  if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root 2>/dev/null || true)"
    if [[ -n "$root" ]]; then
      candidates+=("$root/versions/3.10.13/bin/python3")
      for c in "$root"/versions/3.10.*/bin/python3; do candidates+=("$c"); done
    fi
  fi
  candidates+=(python3.10)
  for c in "${candidates[@]}"; do
    if [[ -x "$c" ]] || command -v "$c" >/dev/null 2>&1; then
      if "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
        echo "$c"
        return 0
      fi
    fi
  done
  return 1
}
