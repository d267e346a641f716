import Foundation
import RunConfiguration
import Sweep
import XCTest

/// Reading grids and expanding them into runs with stable folders.
final class SweepGridTests: XCTestCase {
    func grid(_ text: String) throws -> SweepGrid {
        try SweepGrid(try ConfigValue.parse(text, name: "grid.yaml"), name: "grid.yaml")
    }

    func assertRejected(_ text: String, saying expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try grid(text).runs(), file: file, line: line) { error in
            for part in expected {
                XCTAssert("\(error)".contains(part), "'\(part)' not in: \(error)", file: file, line: line)
            }
        }
    }

    func testAxesExpandIntoTheCrossProductWithPpoOncePerTaskAndSeed() throws {
        let runs = try grid("""
            tasks: [cartpole-balance, walker-walk]
            methods: [ppo, ours]
            classes: [2, 4]
            seeds: [1, 2, 3]
            steps: 10000
            """).runs()
        // ppo: 2 tasks × 3 seeds; ours: 2 tasks × 2 classes × 3 seeds.
        XCTAssertEqual(runs.count, 6 + 12)
        XCTAssertEqual(Set(runs.map(\.folder)).count, runs.count)
        XCTAssertEqual(runs.first?.folder, "cartpole-balance/ppo/seed1")
        XCTAssert(runs.contains { $0.folder == "walker-walk/ours/n2/seed3" })
        XCTAssertEqual(runs.filter { $0.config.method == .ppo }.map(\.folder).sorted(), [
            "cartpole-balance/ppo/seed1", "cartpole-balance/ppo/seed2", "cartpole-balance/ppo/seed3",
            "walker-walk/ppo/seed1", "walker-walk/ppo/seed2", "walker-walk/ppo/seed3",
        ])
        let run = try XCTUnwrap(runs.first { $0.folder == "walker-walk/ours/n4/seed2" })
        XCTAssertEqual(run.config.feedback?.classes, 4)
        XCTAssertEqual(run.config.seed, 2)
        XCTAssertEqual(run.config.totalSteps, 10000)
        XCTAssertEqual(run.config.workers, 1, "sweep runs are single-threaded")
        XCTAssertNil(runs.first { $0.config.method == .ppo }?.request.value(at: ["feedback"]))
    }

    func testOtherAxesNameAFolderLevelAndSingleValuesDoNot() throws {
        let runs = try grid("""
            task: walker-walk
            method: ours
            seed: 5
            steps: 10000
            alpha: [0.01, 0.1]
            feedback: {training: {stopAccuracy: [0.97, 1], epochs: 50}}
            ppo: {hiddenSizes: [[64, 64], [256, 256]], learningRate: 0.0001}
            """).runs()
        XCTAssertEqual(runs.count, 8)
        XCTAssertEqual(runs.map(\.folder).first, "walker-walk/ours/n4/alpha0.01-stopAccuracy0.97-hiddenSizes64x64/seed5")
        let run = try XCTUnwrap(runs.first { $0.folder == "walker-walk/ours/n4/alpha0.1-stopAccuracy1-hiddenSizes256x256/seed5" })
        XCTAssertEqual(run.config.feedback?.rewardModel.objective.regression.scale, 0.1)
        XCTAssertEqual(run.config.feedback?.training.stopAccuracy, 1)
        XCTAssertEqual(run.config.feedback?.training.epochs, 50)
        XCTAssertEqual(run.config.ppo.hiddenSizes, [256, 256])
        XCTAssertEqual(run.config.ppo.learningRate, 0.0001)
        // A plain list for a list field is one value, not an axis.
        let single = try grid("task: walker-walk\nsteps: 10\nppo: {hiddenSizes: [32, 32]}").runs()
        XCTAssertEqual(single.map(\.folder), ["walker-walk/ppo/seed0"])
        XCTAssertEqual(single[0].config.ppo.hiddenSizes, [32, 32])
    }

    func testFeedbackAxesDoNotMultiplyPpoRuns() throws {
        let runs = try grid("tasks: [cartpole-balance]\nmethods: [ppo, rbrl]\nalpha: [0.01, 0.1]\nsteps: 10").runs()
        XCTAssertEqual(runs.map(\.folder), [
            "cartpole-balance/ppo/seed0",
            "cartpole-balance/rbrl/n4/alpha0.01/seed0", "cartpole-balance/rbrl/n4/alpha0.1/seed0",
        ])
    }

    func testAxesSharingAFieldNameAreNamedByTheirPath() throws {
        let runs = try grid("""
            task: cartpole-balance
            method: rbrl
            steps: 10
            ppo: {learningRate: [0.001]}
            feedback: {rewardModel: {learningRate: [0.0001]}}
            """).runs()
        XCTAssertEqual(runs.map(\.folder), ["cartpole-balance/rbrl/n4/feedback.rewardModel.learningRate0.0001-ppo.learningRate0.001/seed0"])
    }

    func testNamesAreStableAcrossReadings() throws {
        let text = "seeds: [3, 1]\nmethods: [ours, ppo]\ntasks: [walker-walk, cartpole-balance]\nsteps: 100\nquery: [uniform, disagreement]"
        let first = try grid(text).runs().map(\.folder)
        let json = #"{"steps": 100, "query": ["uniform", "disagreement"], "tasks": ["walker-walk", "cartpole-balance"], "methods": ["ours", "ppo"], "seeds": [3, 1]}"#
        XCTAssertEqual(try grid(json).runs().map(\.folder), first)
        XCTAssertEqual(first.prefix(3), ["walker-walk/ours/n4/queryuniform/seed3", "walker-walk/ours/n4/querydisagreement.candidateFactor10/seed3",
                                         "walker-walk/ours/n4/queryuniform/seed1"], "list order is axis order")
    }

    func testBuiltInGrids() throws {
        let paper = try grid(BuiltInGrids.paper).runs()
        XCTAssertEqual(paper.count, 6 * 10 * (1 + 5 * 5), "ppo once per task and seed")
        XCTAssertEqual(paper.filter { $0.config.method == .ppo }.count, 60)
        XCTAssert(paper.allSatisfy { $0.config.totalSteps == 4_000_000 && $0.config.preset == "paper" })
        XCTAssertEqual(paper.first { $0.config.task == "quadruped-walk" }?.config.ppo.environments, 16)
        XCTAssert(paper.contains { $0.folder == "quadruped-walk/ours-reg/n6/seed6789" })
        let smoke = try grid(BuiltInGrids.smoke).runs()
        XCTAssertEqual(smoke.count, 8)
        let ours = try XCTUnwrap(smoke.first { $0.config.method == .ratings(.ours) })
        XCTAssert(RunPlanNotes(ours.config).warnings.isEmpty, "the smoke runs get ratings: \(RunPlanNotes(ours.config))")
    }

    /// The result grids of docs/results.md (grids/*.yaml) stay valid and make the runs they describe.
    func testResultGridsInTheRepository() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("grids")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(names.count, 3)
        var runs: [String: [SweepRun]] = [:]
        for name in names { runs[name] = try SweepGrid(path: folder.appendingPathComponent(name).path).runs() }
        XCTAssertEqual(runs["six-tasks-n4.yaml"]?.count, 6 * 3 * 3)
        XCTAssertEqual(runs["protocol-ppo.yaml"]?.count, 6 * 5 * 2)
        let scale = try XCTUnwrap(runs["protocol-scale.yaml"])
        XCTAssertEqual(scale.count, 6 * 2 * 3)
        XCTAssert(scale.allSatisfy { $0.config.feedback?.scale == .task && $0.config.feedback?.ratingEdges?.count == 3 })
        let pretraining = try XCTUnwrap(runs["protocol-pretraining.yaml"])
        XCTAssertEqual(pretraining.count, 2 * 2 * 3)
        XCTAssert(pretraining.allSatisfy { $0.config.feedback?.unsupervisedSteps == 32_000 })
        let walker = try XCTUnwrap(runs["walker-paper.yaml"])
        XCTAssertEqual(walker.count, 9)
        let rbrl = try XCTUnwrap(walker.first { $0.config.method == .ratings(.rbrl) }?.config.feedback)
        XCTAssertEqual(rbrl.preset, "rbrl-walker")
        XCTAssertEqual(rbrl.schedule.total, 1000)
        XCTAssertEqual(walker.first { $0.config.method == .ppo }?.config.ppo.environments, 32, "the paper preset")
        XCTAssert(walker.allSatisfy { !$0.config.ppo.gsde }, "part 3's main runs were made without gSDE")
        XCTAssertEqual(rbrl.training.stopRule, .accuracy, "rbrl's own default")
        let rbrlBalanced = try XCTUnwrap(runs["walker-paper-rbrl-balanced.yaml"])
        XCTAssertEqual(rbrlBalanced.map(\.config.method.rawValue), ["rbrl", "rbrl", "rbrl"])
        XCTAssertEqual(rbrlBalanced.map(\.folder), walker.filter { $0.config.method == .ratings(.rbrl) }.map(\.folder),
                       "the same folders, so it needs its own root")
        XCTAssertEqual(rbrlBalanced.first?.config.feedback?.training.stopRule, .balancedAccuracy)
        XCTAssertEqual(rbrlBalanced.first?.config.feedback?.preset, "rbrl-walker")
        XCTAssertFalse(rbrlBalanced.contains { $0.config.ppo.gsde }, "beside part 3's main runs")
        XCTAssertEqual(walker.first { $0.config.method == .ratings(.ours) }?.config.feedback?.training.stopRule, .balancedAccuracy)
        let gsde = try XCTUnwrap(runs["walker-paper-gsde.yaml"])
        XCTAssertEqual(Set(gsde.map(\.folder)), Set(walker.map(\.folder)), "part 3's runs, with gSDE")
        XCTAssert(gsde.allSatisfy { $0.config.ppo.gsde && $0.config.ppo.environments == 32 })
        XCTAssertEqual(gsde.first { $0.config.method == .ratings(.ours) }?.config.feedback?.preset, "rbrl-walker")
        let oursAccuracy = try XCTUnwrap(runs["walker-paper-ours-accuracy.yaml"])
        XCTAssertEqual(oursAccuracy.map(\.folder), walker.filter { $0.config.method == .ratings(.ours) }.map(\.folder))
        XCTAssertEqual(oursAccuracy.map { $0.config.feedback?.training.stopRule }, [.accuracy, .accuracy, .accuracy])
        XCTAssertEqual(oursAccuracy.first?.config.feedback?.preset, "rbrl-walker")
        XCTAssertFalse(oursAccuracy.contains { $0.config.ppo.gsde }, "beside part 3's main runs")
        let classes = try XCTUnwrap(runs["classes-ball_in_cup.yaml"])
        XCTAssertEqual(classes.count, 2 * 5 * 3)
        let sharedWithPart2 = try XCTUnwrap(runs["six-tasks-n4.yaml"]).filter {
            $0.config.task == "ball_in_cup-catch" && $0.config.method != .ppo
        }
        XCTAssertEqual(classes.filter { $0.config.feedback?.classes == 4 }.map(\.config), sharedWithPart2.map(\.config),
                       "part 4 takes its n = 4 runs from part 2")
        XCTAssertEqual(classes.filter { $0.config.feedback?.classes == 4 }.map(\.folder), sharedWithPart2.map(\.folder))
    }

    func testBadGridsAreRejectedNamingTheProblem() {
        assertRejected("tasks: [walker-walk]\nsteps: 10\nfeedback: {trainng: {epochs: [1, 2]}}",
                       saying: ["unknown field 'feedback.trainng'", "training"])
        assertRejected("tasks: [walker-walk, walker-fly]\nsteps: 10", saying: ["unknown task 'walker-fly'"])
        assertRejected("tasks: [walker-walk]\nmethods: [ours, best]\nsteps: 10", saying: ["method 'best' is not available"])
        assertRejected("tasks: [walker-walk]\nseeds: []\nsteps: 10", saying: ["seed is an empty list"])
        assertRejected("tasks: [walker-walk]\nmethods: [ours]\nclasses: [4, 9]\nsteps: 10",
                       saying: ["classes=9", "rating classes must be between 2 and 6, got 9"])
        assertRejected("tasks: [walker-walk]", saying: ["no step count given"])
        // A repeated value would silently make one run where two were meant.
        assertRejected("tasks: [walker-walk]\nseeds: [1, 1]\nsteps: 10", saying: ["seed lists 1 twice"])
        assertRejected("tasks: [walker-walk, cartpole-balance, walker-walk]\nsteps: 10", saying: ["task lists \"walker-walk\" twice"])
        assertRejected("tasks: [walker-walk]\nsteps: 10\nppo: {hiddenSizes: [[64, x]]}", saying: ["ppo.hiddenSizes"])
    }
}
