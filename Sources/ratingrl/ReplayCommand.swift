import ArgumentParser
import Control
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded actions from a recorded physics state.",
        discussion: """
        IN is JSON: {"task": "walker-walk", "state": [qpos..., qvel..., act...], "actions": [[...], ...]}.
        The task's model is reset (with the task's model edits), the state set, a forward pass run,
        then the actions applied. An optional "qacc_warmstart" (nv numbers) sets the solver's warm start for that
        forward pass (default: zeros, as after mj_resetData). OUT is JSON: {"observations": [[...], ...], "rewards": [...],
        "discounts": [...]}; observations[0] is the observation at the given state and observations[t]
        follows action t (flat, dm_control key order). finger-turn tasks are not supported: their
        target position is part of the episode, not of the state.
        """)

    @Option(name: .long, help: ArgumentHelp("Request file (JSON).", valueName: "in.json"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Result file (JSON), or - for standard output.", valueName: "out.json"))
    var output: String

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let request = try readReplayRequest(input)
        _ = try resolveTasks(request.task)
        if Suite.traits(of: request.task)?.replaysFromState == false {
            throw ValidationFailure(message: "replay does not support \(request.task): its target position is drawn per episode and is not part of the state")
        }
        let environment = try Suite.make(request.task, models: try modelOptions.directory())
        let result: ReplayResult
        do { result = try environment.replay(state: request.state, actions: request.actions,
                                                  warmstart: request.qaccWarmstart) } catch {
            throw ValidationFailure(message: "\(input): \(error)")
        }
        let encoder = JSONEncoder()
        try writeOutput(try encoder.encode(result), to: output)
    }
}

/// Reads a replay request (the JSON `replay`, `render --replay` and `view --replay` take).
/// - Throws: `ValidationFailure` saying what is wrong with the file.
func readReplayRequest(_ path: String) throws -> ReplayRequest {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw ValidationFailure(message: "cannot read \(path): \(error.localizedDescription)")
    }
    do { return try JSONDecoder().decode(ReplayRequest.self, from: data) } catch {
        throw ValidationFailure(message: "\(path) is not a valid replay request (\(describe(error))). Expected {\"task\": ..., \"state\": [...], \"actions\": [[...], ...]}")
    }
}

/// A short, human description of a JSON decoding error.
func describe(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return error.localizedDescription }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
    }
    switch error {
    case let .keyNotFound(key, context): return "missing key '\(key.stringValue)'\(path(context))"
    case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
        return context.debugDescription + path(context)
    @unknown default: return "\(error)"
    }
}
