#!/usr/bin/env bash
# Our PPO and Stable-Baselines3 PPO, side by side in one invocation, with the
# same hyperparameters (1 env x 2048 steps, minibatch 64, 10 epochs, 3x256
# tanh, lr 3e-4, clip 0.2, GAE 0.95) on cartpole-balance and cheetah-run;
# then the paper preset on walker-walk (ours), estimating the core-minutes of
# a 4M-step run; then the reward-model round's share of sgemm peak.
# Results: runs/bench-ppo/*.json and a table on stdout.
# Set BENCH_SB3_PAPER=1 to time SB3's paper preset as well (~1 minute more).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/ratingrl
out="${BENCH_OUT:-runs/bench-ppo}"
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1

same="environments=1,stepsPerRollout=2048,minibatchSize=64,epochs=10,learningRate=3e-4,clipRange=0.2"
same+=",annealClipRange=false,gaeLambda=0.95,hiddenSizes=256x256x256,activation=tanh"
for task in cartpole-balance cheetah-run; do
    "$bin" bench ppo --task "$task" --set "$same" --updates 10 --json "$out/ours-$task.json"
    scripts/peers/sb3_ppo_bench.sh --task "$task" --preset quick --total-steps 20480 --json "$out/sb3-$task.json" >/dev/null
done
"$bin" bench ppo --task walker-walk --preset paper --updates 2 --json "$out/ours-paper-walker-walk.json"
# The reward-model round (3 members, 3x256, walker-sized inputs), its share of the same peak.
"$bin" bench reward --segments 2000 --epochs 2 | tee "$out/reward-round.txt"
if [[ "${BENCH_SB3_PAPER:-0}" == 1 ]]; then
    scripts/peers/sb3_ppo_bench.sh --task walker-walk --preset paper --total-steps 32000 --json "$out/sb3-paper-walker-walk.json" >/dev/null
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name)))
print()
print("| task | ours env steps/s | SB3 env steps/s | ratio | our update GFLOP/s (share of sgemm peak) |")
print("|---|---|---|---|---|")
for task in ["cartpole-balance", "cheetah-run"]:
    ours, sb3 = load(f"ours-{task}.json"), load(f"sb3-{task}.json")
    ours_rate = ours["envSteps"] / ours["wallSeconds"]
    share = ours["updateGFLOP"] / ours["updateWallSeconds"]
    print(f"| {task} | {ours_rate:.0f} | {sb3['steps_per_second']:.0f} | {ours_rate / sb3['steps_per_second']:.1f}x "
          f"| {share:.1f} ({100 * share / ours['sgemmPeakGFLOPS']:.0f}% of {ours['sgemmPeakGFLOPS']:.0f}, {ours['openBLASCore']}) |")
paper = load("ours-paper-walker-walk.json")
core_seconds = paper["rolloutCPUSeconds"] + paper["updateCPUSeconds"]
minutes = core_seconds / paper["envSteps"] * 4_000_000 / 60
print(f"\npaper preset, walker-walk: {paper['envSteps'] / paper['wallSeconds']:.0f} env steps/s, "
      f"update {paper['updateGFLOP'] / paper['updateWallSeconds']:.1f} GFLOP/s; "
      f"estimated {minutes:.1f} core-minutes per 4M-step run (target <= 40)")
if os.path.exists(os.path.join(out, "sb3-paper-walker-walk.json")):
    sb3 = load("sb3-paper-walker-walk.json")
    print(f"SB3 paper preset, walker-walk: {sb3['steps_per_second']:.0f} env steps/s, "
          f"about {4_000_000 / sb3['steps_per_second'] / 60:.0f} minutes per 4M-step run")
PY
