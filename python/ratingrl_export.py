"""Load a RatingRL export (`ratingrl export --run RUN --out DIR`) with numpy.

    import numpy as np
    from ratingrl_export import load
    policy = load("export/cartpole")
    observation = np.zeros(policy.observation_size)
    print(policy.action(observation))

An export is model.json (what every file holds and how each network computes)
and safetensors files: policy, value, normalizer and, for rating-based runs,
reward_model. Everything is computed as RatingRL computes it: the observation
is normalised in float64 with the run's running mean and variance, clipped and
rounded to float32; each layer is y = activation(x @ weight + bias) in float32
with weight of shape [inputs, outputs]; the deterministic action is the
policy's mean, which the environment clips to the action bounds; the learned
per-step reward is the ensemble's mean output on concat(normalised
observation, action). Needs numpy and the `safetensors` package, not torch.
"""

import json
import os

import numpy as np
from safetensors.numpy import load_file

__all__ = ["load", "Export", "Network"]


def _activation(layer):
    name = layer["activation"]
    if name == "identity":
        return lambda x: x
    if name == "tanh":
        return np.tanh
    if name == "relu":
        return lambda x: np.where(x > 0, x, np.float32(0))
    if name == "leaky_relu":
        slope = np.float32(layer["slope"])
        return lambda x: np.where(x > 0, x, x * slope)
    raise ValueError(f"unknown activation {name!r} in the export")


class Network:
    """A multilayer perceptron as model.json describes it, its tensors from one safetensors file."""

    def __init__(self, layers, tensors):
        self.layers = [(tensors[layer["weight"]], tensors[layer["bias"]], _activation(layer)) for layer in layers]
        for (weight, bias, _), layer in zip(self.layers, layers):
            if weight.shape != (layer["inputs"], layer["outputs"]) or bias.shape != (layer["outputs"],):
                raise ValueError(f"{layer['weight']} has shape {weight.shape}; model.json says "
                                 f"[{layer['inputs']}, {layer['outputs']}]")

    def __call__(self, inputs):
        """The outputs for a batch of inputs (rows), in float32."""
        x = np.asarray(inputs, dtype=np.float32)
        for weight, bias, activation in self.layers:
            x = activation(x @ weight + bias).astype(np.float32, copy=False)
        return x


class Export:
    """A trained run: its policy, value network, observation normaliser and, where the run has one, its reward model."""

    def __init__(self, folder):
        with open(os.path.join(folder, "model.json"), encoding="utf-8") as file:
            self.manifest = manifest = json.load(file)
        if manifest.get("format") != "ratingrl-export" or manifest.get("version") != 1:
            raise ValueError(f"{folder} holds no RatingRL export of version 1")
        self.task = manifest["task"]
        self.method = manifest["method"]
        self.observation_size = manifest["observation"]["size"]
        self.observation_layout = [(part["name"], part["size"]) for part in manifest["observation"]["parts"]]
        self.action_size = manifest["action"]["size"]
        self.action_low = np.array(manifest["action"]["low"], dtype=np.float64)
        self.action_high = np.array(manifest["action"]["high"], dtype=np.float64)

        def tensors(entry):
            return load_file(os.path.join(folder, entry["file"]))

        normalizer = manifest["normalizer"]
        statistics = tensors(normalizer)
        self.mean = statistics[normalizer["mean_tensor"]].astype(np.float64)
        self.variance = statistics[normalizer["variance_tensor"]].astype(np.float64)
        self.epsilon = float(normalizer["epsilon"])
        self.clip = float(normalizer["clip"])

        policy = manifest["policy"]["network"]
        policy_tensors = tensors(policy)
        self.policy = Network(policy["layers"], policy_tensors)
        self.log_std = policy_tensors[manifest["policy"]["log_std_tensor"]]
        self.value_network = Network(manifest["value"]["layers"], tensors(manifest["value"]))
        reward = manifest.get("reward_model")
        if reward is None:
            self.reward_members = None
        else:
            reward_tensors = tensors(reward)
            self.reward_members = [Network(layers, reward_tensors) for layers in reward["members"]]

    @property
    def has_reward_model(self):
        return self.reward_members is not None

    def normalize(self, observations):
        """Raw observations (one per row, or one vector) as the networks see them: float32."""
        z = (np.asarray(observations, dtype=np.float64) - self.mean) / np.sqrt(self.variance + self.epsilon)
        return np.clip(z, -self.clip, self.clip).astype(np.float32)

    def mean_action(self, observations):
        """The policy's mean for raw observations (float32), before the environment clips it."""
        return self.policy(self.normalize(observations))

    def action(self, observations):
        """The deterministic action for raw observations: the mean clipped to the action bounds (float64), as applied."""
        return np.clip(self.mean_action(observations).astype(np.float64), self.action_low, self.action_high)

    def value(self, observations):
        """The value network's estimate for raw observations (float32)."""
        return self.value_network(self.normalize(observations))[..., 0]

    def reward(self, observations, actions):
        """The learned per-step reward r̂ for raw observations and the actions taken in them (float32)."""
        if self.reward_members is None:
            raise ValueError(f"this export of a {self.method} run has no reward model")
        inputs = np.concatenate([self.normalize(observations), np.asarray(actions, dtype=np.float32)], axis=-1)
        total = np.zeros(inputs.shape[:-1], dtype=np.float32)
        for member in self.reward_members:
            total = total + member(inputs)[..., 0]
        return total * (np.float32(1) / np.float32(len(self.reward_members)))


def load(folder):
    """The export written by `ratingrl export --out FOLDER`."""
    return Export(folder)
