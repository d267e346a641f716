import ArgumentParser
import Control

struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envs",
        abstract: "List the tasks with their observation and action sizes.")

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let models = try modelOptions.directory()
        print("task                      obs  act  substeps  observation keys")
        for name in Suite.taskNames {
            let environment = try Suite.make(name, models: models)
            let keys = environment.observationSpec.keys.map { "\($0.name)(\($0.size))" }.joined(separator: " ")
            let marker = Suite.benchmarkTasks.contains(name) ? "*" : " "
            print(pad(marker + name, 25), pad("\(environment.observationSpec.size)", 4, right: true),
                  pad("\(environment.actionSpec.size)", 4, right: true),
                  pad("\(environment.task.substeps)", 9, right: true), " " + keys)
        }
        print("* the paper's six benchmark tasks")
    }
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
