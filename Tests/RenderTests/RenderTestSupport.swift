import Control
import Foundation
import PPO
import Playback
import Randomness
import Render
import RunConfiguration
import XCTest

/// A fresh temporary folder, removed after the test.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-render-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// Width and height from a PNG's IHDR chunk.
func pngSize(_ path: String) throws -> (width: Int, height: Int) {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    XCTAssertEqual(Array(bytes[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG signature")
    XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR")
    func word(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (word(16), word(20))
}

/// Runs a program to completion and returns its standard output; fails the test on a non-zero exit.
func runProgram(_ name: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [name] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "\(name) \(arguments.joined(separator: " ")) failed")
    return data
}

/// A run folder as training leaves it: config.json, an (untrained) policy
/// checkpoint and ratings.jsonl with `ratings` segments of `length` steps.
func makeRun(task: String, ratings: [(rating: Int, trueReturn: Double)], length: Int, in folder: String) throws -> String {
    let run = folder + "/run"
    try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: false)
    let ppo = PPOConfig.preset("quick", task: task)!
    let config = TrainingConfig(task: task, method: .ratings(.ours), totalSteps: 1000, seed: 0, preset: "quick", ppo: ppo)
    try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: run + "/config.json"))
    let environment = try Suite.make(task, models: try testModels(), seed: 3)
    var random = SeededRandom(seed: 5)
    let agent = PPOAgent(observationSize: environment.observationSpec.size, actionSize: environment.actionSpec.size,
                         config: ppo, random: &random)
    try agent.save(to: run + "/checkpoint.weights")
    var lines = ""
    for (index, entry) in ratings.enumerated() {
        _ = try environment.reset()
        let state = environment.physics.data.state
        let actions = (0..<length).map { _ in environment.actionSpec.lower.indices.map { _ in random.uniform(-1, 1) } }
        let object: [String: Any] = ["round": 0, "episode": index, "start_step": 10 * index, "rating": entry.rating,
                                     "true_return": entry.trueReturn, "start_state": state, "actions": actions]
        lines += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
    }
    try lines.write(toFile: run + "/ratings.jsonl", atomically: true, encoding: .utf8)
    return run
}
