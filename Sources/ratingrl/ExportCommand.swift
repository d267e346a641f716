import ArgumentParser
import ModelExport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained run's networks as safetensors files with a JSON description, for Python.",
        discussion: """
            Writes policy.safetensors, value.safetensors, normalizer.safetensors and, for rating-based runs, \
            reward_model.safetensors (the ensemble), with model.json describing every network (layers, activations, \
            output squashing and action bounds, the normaliser's statistics and clip, the task's observation layout). \
            python/ratingrl_export.py loads an export and computes the policy's deterministic action and the learned \
            per-step reward exactly as RatingRL does; see docs/python.md.
            """)

    @Option(name: .customLong("run"), help: ArgumentHelp("A training run folder (its config.json and checkpoint.weights).", valueName: "dir"))
    var runFolder: String

    @Option(help: ArgumentHelp("The folder to write; made if missing, refused if it holds files unless --overwrite.", valueName: "dir"))
    var out: String

    @Flag(help: "Replace the export's files in a folder that is not empty (other files in it are kept).")
    var overwrite = false

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        do {
            let folder = try ExportFolder(path: out, overwrite: overwrite)
            let export = try RunExport(run: runFolder, models: try modelOptions.directory())
            try folder.write(export.files)
            let reward = export.manifest.rewardModel.map { ", reward model of \($0.members.count) members" } ?? ""
            print("exported \(export.manifest.task) (\(export.manifest.method)) to \(out): policy, value, normaliser\(reward)")
        } catch let error as ValidationFailure {
            throw error
        } catch {
            throw CleanExit.failure(error)
        }
    }
}
