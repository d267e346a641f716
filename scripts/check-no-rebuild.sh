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
# Measured on clean clones: the first repeat of a fresh build recompiles these two
# modules of the rating page's web server once (about 40 s), then nothing; the
# cause lies in SwiftPM's dependency tracking and was not found. Any other
# module is a failure: the whole package used to recompile here.
known_once="HummingbirdCore Hummingbird"
unexpected=$(awk -v known=" $known_once " '{ if (index(known, " " $3 " ") == 0) print }' <<<"$rebuilt")
if [[ -n "$unexpected" ]]; then
  echo "check-no-rebuild: a second '$*' recompiled modules the first had just built:" >&2
  echo "$unexpected" | head -20 >&2
  exit 1
fi
if [[ -n "$rebuilt" ]]; then
  echo "check-no-rebuild: a second '$*' recompiled only $known_once (known, once after a fresh build)"
else
  echo "check-no-rebuild: a second '$*' compiled nothing"
fi
