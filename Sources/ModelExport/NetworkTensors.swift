import TensorFiles
import NeuralNet

/// An MLP as the tensors of its safetensors file and the layers of its description.
struct NetworkTensors {
    let tensors: [Safetensors.Tensor]
    let layers: [ModelManifest.Layer]

    /// `network`'s weights and biases, named `<prefix>.layer<i>.weight` and `.bias` (`layer<i>.…` without a prefix).
    init(_ network: MLP, prefix: String = "") {
        let tensors = network.tensors(prefix: prefix)
        self.tensors = tensors
        layers = network.layers.enumerated().map { index, layer in
            let (name, slope) = layer.activation.exportName
            return ModelManifest.Layer(weight: tensors[2 * index].name, bias: tensors[2 * index + 1].name,
                                       inputs: layer.inputSize, outputs: layer.outputSize, activation: name, slope: slope)
        }
    }
}

extension Activation {
    /// The activation's name in an export, and its slope for a leaky ReLU.
    var exportName: (name: String, slope: Float?) {
        switch self {
        case .identity: ("identity", nil)
        case .tanh: ("tanh", nil)
        case .relu: ("relu", nil)
        case .leakyReLU(let slope): ("leaky_relu", slope)
        }
    }
}
