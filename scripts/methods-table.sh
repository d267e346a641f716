#!/usr/bin/env bash
# Reproduces the README's method comparison: every method (ppo on the true
# reward, and the five rating-based ones) at n = 4 rating classes, quick
# preset, STEPS environment steps, seeds 0-2, on the given tasks; then prints
# mean ± standard error of the final deterministic evaluation (true) return.
# Usage: scripts/methods-table.sh OUT_DIR STEPS TASK...   (run `make release models` first)
set -euo pipefail
out="${1:?output folder}"; steps="${2:?environment steps}"; shift 2
tasks=("$@")
bin="${RATINGRL:-.build/release/ratingrl}"   # a copied binary keeps a long table on one code version
export OPENBLAS_NUM_THREADS=1
# Seeds outermost, so a partial table is balanced across methods.
for seed in 0 1 2; do
    for task in "${tasks[@]}"; do
        for method in ppo rbrl ours ours-equal ours-cls ours-reg; do
            dir="$out/$task/$method/seed$seed"
            if [[ -f "$dir/summary.json" ]]; then echo "skip $dir (done)"; continue; fi
            "$bin" train --task "$task" --method "$method" --classes 4 --preset quick --steps "$steps" \
                --seed "$seed" --out "$dir" --overwrite --quiet
        done
    done
done
"$bin" summarize "$out"
