#!/usr/bin/env bash
# Reproduces the README's method comparison: every method (ppo on the true
# reward, and the five rating-based ones) at n = 4 rating classes, quick
# preset, STEPS environment steps, seeds 0-2, on the given tasks; then prints
# mean ± standard error of the final deterministic evaluation (true) return.
#
# Usage: [JOBS=2] [RATINGRL=path] [METHODS="..."] [SEEDS="..."] [EXTRA="..."] scripts/methods-table.sh OUT_DIR STEPS TASK...
#   (run `make release models` first)
# Finished runs (with summary.json) are skipped, so an interrupted table
# resumes where it stopped. Each run is claimed with OUT_DIR/.../seedS.claim
# (the PID of the script running it), so several invocations, on one machine,
# can share one table; a claim whose process is gone is taken over.
# JOBS runs that many trainings side by side (each then uses one core).
# METHODS and SEEDS restrict the table (defaults: all six methods, seeds 0 1 2).
# RATINGRL names a copy of the binary, keeping a long table on one code version.
# EXTRA adds arguments to every `ratingrl train` (e.g. EXTRA="--alpha 1" for an
# α sweep: one OUT_DIR per value).
set -euo pipefail
out="${1:?output folder}"; steps="${2:?environment steps}"; shift 2
tasks=("$@")
(( ${#tasks[@]} > 0 )) || { echo "usage: $0 OUT_DIR STEPS TASK..." >&2; exit 2; }
bin="${RATINGRL:-.build/release/ratingrl}"
[[ -x "$bin" ]] || { echo "$bin not found: run 'make release' (or set RATINGRL)" >&2; exit 1; }
jobs="${JOBS:-1}"
read -r -a methods <<< "${METHODS:-ppo rbrl ours ours-equal ours-cls ours-reg}"
read -r -a seeds <<< "${SEEDS:-0 1 2}"
extra="${EXTRA:-}"
export OPENBLAS_NUM_THREADS=1 bin out steps extra

# Runs one (task, method, seed) unless it is finished or claimed by a live process.
train_one() {
    local task="$1" method="$2" seed="$3"
    local dir="$out/$task/$method/seed$seed" claim="$out/$task/$method/seed$seed.claim"
    [[ -f "$dir/summary.json" ]] && { echo "skip $dir (done)"; return 0; }
    mkdir -p "$(dirname "$dir")"
    if ! (set -o noclobber; echo $$ > "$claim") 2>/dev/null; then
        local owner; owner="$(cat "$claim" 2>/dev/null || true)"
        if [[ -n "$owner" ]] && kill -0 "$owner" 2>/dev/null; then
            echo "skip $dir (running in process $owner)"; return 0
        fi
        echo $$ > "$claim"
    fi
    local workers=2; (( jobs > 1 )) && workers=1
    echo "start $dir"
    local status=0
    "$bin" train --task "$task" --method "$method" --classes 4 --preset quick --steps "$steps" \
        --seed "$seed" --workers "$workers" --out "$dir" --overwrite --quiet $extra || status=$?
    rm -f "$claim"
    (( status == 0 )) || echo "FAILED $dir (exit $status)" >&2
    return "$status"
}
export -f train_one
export jobs

# Seeds outermost, so a partial table is balanced across methods.
for seed in "${seeds[@]}"; do
    for task in "${tasks[@]}"; do
        for method in "${methods[@]}"; do
            echo "$task $method $seed"
        done
    done
done | xargs -P "$jobs" -L 1 bash -c 'train_one "$@"' _ || failed=1
"$bin" summarize "$out"
[[ -z "${failed:-}" ]] || { echo "some runs failed; rerun to retry them" >&2; exit 1; }
