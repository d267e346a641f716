import Control

/// `model.json` of an export: what each safetensors file holds and how the
/// networks in it compute, enough to run the policy and the learned reward
/// without RatingRL (python/ratingrl_export.py reads it).
///
/// Every network is a stack of layers, input first, each computing
/// `y = activation(x · weight + bias)` in float32 with `weight` of shape
/// [inputs, outputs] (not transposed as torch's `Linear` stores it).
public struct ModelManifest: Codable, Sendable, Equatable {
    /// "ratingrl-export".
    public var format = "ratingrl-export"
    /// Bumped when the layout of an export changes.
    public var version = 1
    public var task: String
    public var method: String
    public var seed: UInt64
    public var observation: ObservationLayout
    public var action: ActionBounds
    public var normalizer: NormalizerDescription
    public var policy: PolicyDescription
    public var value: NetworkDescription
    /// The learned reward; nil for runs that learn from the true reward (ppo)
    /// or have finished no feedback round yet.
    public var rewardModel: RewardModelDescription?

    enum CodingKeys: String, CodingKey {
        case format, version, task, method, seed, observation, action, normalizer, policy, value
        case rewardModel = "reward_model"
    }

    /// The raw observation: the task's named parts, concatenated in this order.
    public struct ObservationLayout: Codable, Sendable, Equatable {
        public var size: Int
        public var parts: [ObservationKey]
    }

    /// The action's size and bounds.
    public struct ActionBounds: Codable, Sendable, Equatable {
        public var size: Int
        public var low: [Double]
        public var high: [Double]
    }

    /// The policy's running observation normaliser (the statistics as the run's checkpoint holds them, float32).
    public struct NormalizerDescription: Codable, Sendable, Equatable {
        public var file: String
        public var formula = "normalised = float32(clip((observation - mean) / sqrt(variance + epsilon), -clip, clip)), computed in float64"
        /// Tensor names in `file`.
        public var meanTensor = "mean", varianceTensor = "variance"
        public var mean: [Double]
        public var variance: [Double]
        /// Observations the statistics were gathered from.
        public var count: Double
        public var epsilon: Double
        public var clip: Double

        enum CodingKeys: String, CodingKey {
            case file, formula, mean, variance, count, epsilon, clip
            case meanTensor = "mean_tensor", varianceTensor = "variance_tensor"
        }
    }

    /// One layer of a network.
    public struct Layer: Codable, Sendable, Equatable {
        /// Tensor names.
        public var weight: String
        public var bias: String
        public var inputs: Int
        public var outputs: Int
        /// "identity", "tanh", "relu" or "leaky_relu" (y = x for x > 0, slope·x otherwise).
        public var activation: String
        /// The leaky ReLU's slope (float32); nil for the others.
        public var slope: Float?
    }

    /// A network in a file of its own.
    public struct NetworkDescription: Codable, Sendable, Equatable {
        public var file: String
        public var input: String
        public var output: String
        public var layers: [Layer]
    }

    /// The policy: a Gaussian whose mean is the network's output.
    public struct PolicyDescription: Codable, Sendable, Equatable {
        public var network: NetworkDescription
        /// The deterministic action is the mean, unsquashed; the environment clips it to the action bounds.
        public var squashing = "none"
        public var clippedToActionBounds = true
        /// "state_independent" (log_std of shape [actions]) or "gsde" (of shape [features, actions], features the last hidden layer).
        public var exploration: String
        public var logStdTensor = "log_std"

        enum CodingKeys: String, CodingKey {
            case network, squashing, exploration
            case clippedToActionBounds = "clipped_to_action_bounds", logStdTensor = "log_std_tensor"
        }
    }

    /// The reward-model ensemble: the per-step reward is the mean of the members' outputs.
    public struct RewardModelDescription: Codable, Sendable, Equatable {
        public var file: String
        public var input = "concat(normalised observation, action as applied (clipped), as float32)"
        public var output = "reward = mean over members of each member's output (float32, summed in member order, times 1/members)"
        /// Each member's layers; its tensors are prefixed `member<m>.`.
        public var members: [[Layer]]
    }
}
