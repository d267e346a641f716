import ArgumentParser
import PPO
import Playback
import Ratings
import Render
import RewardLearning
import RunConfiguration
import Sweep

// The closed vocabularies the command line takes, parsed by their raw values:
// `--help` lists each option's values, and a value that is none of them gets
// one line naming them. (The types belong to the libraries, which do not
// depend on ArgumentParser.)

extension TrainingMethod: ExpressibleByArgument {}
extension RewardLoss: ExpressibleByArgument {}
extension RewardTrainingSettings.StopRule: ExpressibleByArgument {}
extension RatingScaleRule: ExpressibleByArgument {}
extension QuerySelection.Kind: ExpressibleByArgument {}
extension RenderQuality: ExpressibleByArgument {}
extension GLBackend: ExpressibleByArgument {}
extension ViewerState.Order: ExpressibleByArgument {}
extension BuiltInGrids.Name: ExpressibleByArgument {}
extension PPOConfig.Preset: ExpressibleByArgument {}

extension FeedbackPreset: ExpressibleByArgument {
    public init?(argument: String) {
        guard let preset = Self.named(argument) else { return nil }
        self = preset
    }

    public static var allValueStrings: [String] { names }
}
