#!/usr/bin/env python3
"""Peer benchmark: Stable-Baselines3 PPO on a dm_control suite task, CPU only.

Wraps a dm_control task as a gymnasium Env (flattened float32 observation,
action box [-1, 1], time-limit end reported as truncation), trains SB3 PPO
with DummyVecEnv + VecNormalize(obs only, clip 10) and separate policy/value
MLPs, and measures wall time, end-to-end env steps/s, and the split between
rollout collection and the PPO update (`train()`).

Prints one JSON line on stdout (and writes it to --json if given); progress
goes to stderr. Run through sb3_ppo_bench.sh, which sets up the venv.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

PRESETS = {
    # SB3 defaults, with the project's 3x256 tanh networks.
    "quick": dict(n_envs=1, n_steps=2048, batch_size=64, n_epochs=10,
                  lr=3e-4, clip=0.2, clip_schedule="constant",
                  gae_lambda=0.95, gamma=0.99, use_sde=False,
                  sde_sample_freq=-1),
    # The paper / RbRL setting (docs/method.md section 9).
    "paper": dict(n_envs=32, n_steps=500, batch_size=64, n_epochs=20,
                  lr=5e-5, clip=0.4, clip_schedule="linear",
                  gae_lambda=0.92, gamma=0.99, use_sde=True,
                  sde_sample_freq=4),
}
COMMON = dict(hidden="256,256,256", activation="tanh", ent_coef=0.0,
              vf_coef=0.5, max_grad_norm=0.5, log_std_init=0.0)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--task", default="cartpole-balance",
                   help="dm_control suite DOMAIN-TASK, e.g. walker-walk")
    p.add_argument("--preset", choices=sorted(PRESETS), default="quick",
                   help="defaults for the options below (explicit options win)")
    p.add_argument("--n-envs", type=int)
    p.add_argument("--n-steps", type=int, help="steps per env per rollout")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--n-epochs", type=int)
    p.add_argument("--hidden", help="comma-separated hidden sizes, both nets")
    p.add_argument("--activation", choices=["tanh", "relu", "elu"])
    p.add_argument("--lr", type=float)
    p.add_argument("--clip", type=float)
    p.add_argument("--clip-schedule", choices=["constant", "linear"],
                   help="linear anneals the clip range to 0 over training")
    p.add_argument("--gae-lambda", type=float)
    p.add_argument("--gamma", type=float)
    p.add_argument("--ent-coef", type=float)
    p.add_argument("--vf-coef", type=float)
    p.add_argument("--max-grad-norm", type=float)
    p.add_argument("--log-std-init", type=float)
    p.add_argument("--use-sde", dest="use_sde", action="store_true", default=None)
    p.add_argument("--no-sde", dest="use_sde", action="store_false")
    p.add_argument("--sde-sample-freq", type=int)
    p.add_argument("--total-steps", type=int, default=20480,
                   help="env steps (rounded up to whole rollouts)")
    p.add_argument("--extrapolate-steps", type=int, default=0,
                   help="also estimate the wall time for this many env steps")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--json", metavar="OUT", help="also write the result here")
    args = p.parse_args(argv)
    merged = dict(COMMON)
    merged.update(PRESETS[args.preset])
    for k, v in merged.items():
        if getattr(args, k, None) is None:
            setattr(args, k, v)
    return args


def main(argv=None):
    args = parse_args(argv)
    # Thread pinning must happen before numpy/torch load their BLAS.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))
    # No rendering. Must not be "egl": dm_control's EGL backend loaded before
    # torch's triton extension makes the latter segfault on import.
    os.environ["MUJOCO_GL"] = "disable"

    import numpy as np
    import torch
    import torch.optim  # pulls in torch._dynamo/triton before dm_control
    import gymnasium as gym
    from gymnasium import spaces
    from dm_control import suite
    import stable_baselines3
    from stable_baselines3 import PPO
    from stable_baselines3.common.monitor import Monitor
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass

    domain, _, task = args.task.partition("-")
    if not task:
        sys.exit(f"--task must be DOMAIN-TASK, got {args.task!r}")
    # suite names use underscores inside a part (ball_in_cup-catch).
    if (domain, task) not in suite.ALL_TASKS:
        sys.exit(f"unknown dm_control task {domain}/{task}")

    env_step_time = [0.0]  # seconds inside dm_control step() over all envs

    class DMCEnv(gym.Env):
        """A dm_control suite task as a gymnasium Env."""

        metadata = {"render_modes": []}

        def __init__(self, seed):
            self._env = suite.load(domain, task, task_kwargs={"random": seed})
            self._keys = list(self._env.observation_spec().keys())
            size = sum(int(np.prod(s.shape)) for s in self._env.observation_spec().values())
            self.observation_space = spaces.Box(-np.inf, np.inf, (size,), np.float32)
            aspec = self._env.action_spec()
            self._lo = aspec.minimum.astype(np.float64)
            self._hi = aspec.maximum.astype(np.float64)
            self.action_space = spaces.Box(-1.0, 1.0, aspec.shape, np.float32)

        def _flat(self, obs):
            return np.concatenate(
                [np.asarray(obs[k], dtype=np.float64).ravel() for k in self._keys]
            ).astype(np.float32)

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            if seed is not None:
                self._env.task._random = np.random.RandomState(seed)
            ts = self._env.reset()
            return self._flat(ts.observation), {}

        def step(self, action):
            # Action box is [-1, 1]; map to the task's bounds (identical for
            # the suite tasks used here) and clip what SB3 hands over.
            a = np.clip(np.asarray(action, dtype=np.float64), -1.0, 1.0)
            a = self._lo + (a + 1.0) * 0.5 * (self._hi - self._lo)
            t0 = time.perf_counter()
            ts = self._env.step(a)
            env_step_time[0] += time.perf_counter() - t0
            reward = float(ts.reward or 0.0)
            terminated = bool(ts.last() and ts.discount == 0.0)
            truncated = bool(ts.last() and not terminated)
            return self._flat(ts.observation), reward, terminated, truncated, {}

    class TimedPPO(PPO):
        """PPO that times rollout collection and the update separately."""

        def _timing_init(self):
            self.rollout_times = []
            self.train_times = []

        def collect_rollouts(self, *a, **k):
            t0 = time.perf_counter()
            out = super().collect_rollouts(*a, **k)
            self.rollout_times.append(time.perf_counter() - t0)
            return out

        def train(self):
            t0 = time.perf_counter()
            super().train()
            dt = time.perf_counter() - t0
            self.train_times.append(dt)
            i = len(self.train_times)
            rets = [e["r"] for e in self.ep_info_buffer]
            ret = f"{np.mean(rets):.1f}" if rets else "n/a"
            print(f"[{args.task}] update {i}: steps {self.num_timesteps} "
                  f"rollout {self.rollout_times[-1]:.2f}s train {dt:.2f}s "
                  f"ep_return {ret}", file=sys.stderr, flush=True)

    hidden = [int(h) for h in args.hidden.split(",") if h]
    act_fn = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "elu": torch.nn.ELU}[args.activation]
    if args.clip_schedule == "linear":
        clip0 = args.clip
        clip_range = lambda progress_remaining: clip0 * progress_remaining  # noqa: E731
    else:
        clip_range = args.clip

    t_setup = time.perf_counter()

    def make(i):
        return lambda: Monitor(DMCEnv(args.seed * 1000 + i))

    venv = DummyVecEnv([make(i) for i in range(args.n_envs)])
    venv = VecNormalize(venv, norm_obs=True, norm_reward=False, clip_obs=10.0,
                        gamma=args.gamma)
    model = TimedPPO(
        "MlpPolicy", venv,
        learning_rate=args.lr, n_steps=args.n_steps, batch_size=args.batch_size,
        n_epochs=args.n_epochs, gamma=args.gamma, gae_lambda=args.gae_lambda,
        clip_range=clip_range, ent_coef=args.ent_coef, vf_coef=args.vf_coef,
        max_grad_norm=args.max_grad_norm, use_sde=args.use_sde,
        sde_sample_freq=args.sde_sample_freq,
        policy_kwargs=dict(net_arch=dict(pi=hidden, vf=hidden), activation_fn=act_fn,
                           ortho_init=True, log_std_init=args.log_std_init),
        seed=args.seed, device="cpu", verbose=0,
    )
    model._timing_init()
    setup_seconds = time.perf_counter() - t_setup

    obs_dim = venv.observation_space.shape[0]
    act_dim = venv.action_space.shape[0]
    n_params = sum(p.numel() for p in model.policy.parameters())

    load_before = os.getloadavg()
    c0 = time.process_time()
    t0 = time.perf_counter()
    model.learn(total_timesteps=args.total_steps)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    load_after = os.getloadavg()

    # FLOP estimate (multiply-adds x 2) for the two MLPs plus output heads.
    def mlp_macs(sizes):
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    fwd_macs = mlp_macs([obs_dim] + hidden + [act_dim]) + mlp_macs([obs_dim] + hidden + [1])
    if args.use_sde:
        # gSDE noise: latent (last hidden) times the (latent x act) noise matrix
        fwd_macs += hidden[-1] * act_dim
    fwd_flops = 2 * fwd_macs
    rollout_size = args.n_envs * args.n_steps
    samples_per_update = args.n_epochs * (rollout_size // args.batch_size) * args.batch_size
    # forward + backward (~2x forward) per sample
    update_gflops = 3 * fwd_flops * samples_per_update / 1e9

    n_up = len(model.train_times)
    rollout_s = sum(model.rollout_times)
    train_s = sum(model.train_times)
    steps = int(model.num_timesteps)
    rets = [float(e["r"]) for e in model.ep_info_buffer]

    result = dict(
        task=args.task, preset=args.preset, framework="stable-baselines3",
        n_envs=args.n_envs, n_steps=args.n_steps, batch_size=args.batch_size,
        n_epochs=args.n_epochs, hidden=hidden, activation=args.activation,
        lr=args.lr, clip=args.clip, clip_schedule=args.clip_schedule,
        gae_lambda=args.gae_lambda, gamma=args.gamma, ent_coef=args.ent_coef,
        use_sde=bool(args.use_sde), sde_sample_freq=args.sde_sample_freq,
        seed=args.seed, threads=args.threads,
        obs_dim=obs_dim, act_dim=act_dim, policy_params=n_params,
        env_steps=steps, updates=n_up,
        wall_seconds=round(wall, 3), setup_seconds=round(setup_seconds, 3),
        steps_per_second=round(steps / wall, 1),
        rollout_seconds=round(rollout_s, 3), train_seconds=round(train_s, 3),
        env_step_seconds=round(env_step_time[0], 3),
        # process CPU time over learn(); cpu/wall well below 1 with --threads 1
        # means the process was waiting for a core (machine busy).
        cpu_seconds=round(cpu, 3), cpu_over_wall=round(cpu / wall, 3),
        loadavg_1min_before_after=[round(load_before[0], 2), round(load_after[0], 2)],
        rollout_steps_per_second=round(steps / rollout_s, 1) if rollout_s else None,
        env_only_steps_per_second=round(steps / env_step_time[0], 1) if env_step_time[0] else None,
        rollout_seconds_per_update=[round(x, 3) for x in model.rollout_times],
        train_seconds_per_update=[round(x, 3) for x in model.train_times],
        update_gflops_estimate=round(update_gflops, 3),
        update_gflops_per_second=round(update_gflops * n_up / train_s, 2) if train_s else None,
        mean_episode_return=round(float(np.mean(rets)), 2) if rets else None,
        episodes_seen=len(rets),
        versions=dict(python=platform.python_version(), torch=torch.__version__,
                      stable_baselines3=stable_baselines3.__version__,
                      gymnasium=gym.__version__, numpy=np.__version__,
                      mujoco=__import__("mujoco").__version__,
                      dm_control=_dist_version("dm-control")),
        cpu=platform.processor() or platform.machine(),
    )
    if args.extrapolate_steps and n_up:
        n_updates = -(-args.extrapolate_steps // rollout_size)
        per_step_rollout = rollout_s / steps
        per_update_train = train_s / n_up
        result["extrapolated_steps"] = args.extrapolate_steps
        result["extrapolated_wall_seconds"] = round(
            n_updates * rollout_size * per_step_rollout + n_updates * per_update_train, 1)

    line = json.dumps(result)
    print(line, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            f.write(line + "\n")


def _dist_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


if __name__ == "__main__":
    main()
