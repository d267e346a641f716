import ArgumentParser
import Control

struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envs",
        abstract: "List the tasks with their observation and action sizes.")

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let models = try modelOptions.directory()
        // Every task is built before anything is printed, so a damaged models
        // folder gives one error rather than half a table.
        var rows: [String] = []
        for name in Suite.taskNames {
            let environment: ControlEnvironment
            do { environment = try Suite.make(name, models: models) } catch {
                // MuJoCo's parser messages span lines; the error stays on one.
                let reason = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
                throw ValidationFailure(message: "cannot build \(name) from the models in \(models.path): \(reason). "
                                        + "Run `make models` to fetch the suite's model files again.")
            }
            let keys = environment.observationSpec.keys.map { "\($0.name)(\($0.size))" }.joined(separator: " ")
            let marker = Suite.benchmarkTasks.contains(name) ? "*" : " "
            rows.append([pad(marker + name, 25), pad("\(environment.observationSpec.size)", 4, right: true),
                         pad("\(environment.actionSpec.size)", 4, right: true),
                         pad("\(environment.task.substeps)", 9, right: true), " " + keys].joined(separator: " "))
        }
        print("task                      obs  act  substeps  observation keys")
        for row in rows { print(row) }
        print("* the paper's six benchmark tasks")
    }
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
