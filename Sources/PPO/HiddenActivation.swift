import NeuralNet

/// The activation after the hidden layers of PPO's policy and value networks.
/// The raw value is its name in config.json (`ppo.activation`) and `--set`.
public enum HiddenActivation: String, Codable, Sendable, CaseIterable {
    case tanh
    case relu

    /// The network's activation function.
    public var function: Activation {
        switch self {
        case .tanh: .tanh
        case .relu: .relu
        }
    }
}
