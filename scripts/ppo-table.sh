#!/usr/bin/env bash
# Reproduces the README's PPO table: PPO on the true reward, quick preset,
# 1M environment steps, seeds 0-2, on the six benchmark tasks; then prints
# mean ± standard error of the final deterministic evaluation return.
# Usage: scripts/ppo-table.sh [OUT_DIR] [STEPS]   (run `make release models` first)
set -euo pipefail
out="${1:-runs/ppo-table}"
steps="${2:-1000000}"
bin="${RATINGRL:-.build/release/ratingrl}"   # a copied binary keeps the table on one code version
export OPENBLAS_NUM_THREADS=1
for task in cartpole-balance ball_in_cup-catch finger-spin cheetah-run walker-walk quadruped-walk; do
    for seed in 0 1 2; do
        dir="$out/$task/seed$seed"
        if [[ -f "$dir/summary.json" ]]; then echo "skip $dir (done)"; continue; fi
        "$bin" train --task "$task" --method ppo --preset quick --steps "$steps" --seed "$seed" \
            --out "$dir" --overwrite --quiet
    done
done
"$bin" summarize "$out"
