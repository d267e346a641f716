#!/usr/bin/env bash
# Usage: check-no-rebuild.sh BUILD-COMMAND...
# Run at the end of `make test`, after the Makefile's one build command has
# built everything: running it again must compile no module, so `make run`,
# `make bench` or `make release` after `make test` (and the other way round)
# rebuild nothing. Fails, naming the modules, when a change makes it do more.
set -euo pipefail
(($# > 0)) || { echo "usage: check-no-rebuild.sh BUILD-COMMAND..." >&2; exit 2; }
out=$("$@" 2>&1)
# SwiftPM recompiles its build plugins' tools on every invocation; modules are what count.
rebuilt=$(grep -E '^\[[0-9]+/[0-9]+\] Compiling [A-Za-z_][A-Za-z0-9_]* ' <<<"$out" | grep -v 'Compiling plugin ' || true)
if [[ -n "$rebuilt" ]]; then
  echo "check-no-rebuild: a second '$*' recompiled modules the first had just built:" >&2
  echo "$rebuilt" | head -20 >&2
  exit 1
fi
echo "check-no-rebuild: a second '$*' compiled nothing"
