import PPO
import Ratings
import RewardLearning
import RunConfiguration
import XCTest

/// Configuration files and command-line fields resolving into a TrainingConfig.
final class ConfigOverridesTests: XCTestCase {
    func resolve(_ layers: [(String, String)], workers: Int = 3) throws -> TrainingConfig {
        var overrides = ConfigOverrides()
        for (name, text) in layers { try overrides.add(try ConfigValue.parse(text, name: name), from: name) }
        return try overrides.resolve(defaultWorkers: workers)
    }

    func assertRejected(_ layers: [(String, String)], saying expected: [String], file: StaticString = #filePath,
                        line: UInt = #line) {
        XCTAssertThrowsError(try resolve(layers), file: file, line: line) { error in
            let message = "\(error)"
            for part in expected { XCTAssert(message.contains(part), "'\(part)' not in: \(message)", file: file, line: line) }
        }
    }

    func testASubsetInYAMLSitsOnThePresetDefaults() throws {
        let config = try resolve([("f.yaml", """
            task: walker-walk
            method: ours
            steps: 100000
            feedback:
              training: {stopAccuracy: 1}
              schedule: {firstRound: 0}
            ppo: {learningRate: 1e-4, hiddenSizes: [32, 32]}
            """)])
        XCTAssertEqual(config.task, "walker-walk")
        XCTAssertEqual(config.totalSteps, 100_000)
        XCTAssertEqual(config.feedback?.training.stopAccuracy, 1)
        XCTAssertEqual(config.feedback?.training.epochs, 100, "untouched fields keep their defaults")
        XCTAssertEqual(config.feedback?.schedule.firstRound, 0)
        XCTAssertEqual(config.feedback?.schedule.interval, 32_000)
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .ours)
        XCTAssertEqual(config.ppo.learningRate, 1e-4)
        XCTAssertEqual(config.ppo.hiddenSizes, [32, 32])
        XCTAssertEqual(config.ppo.environments, PPOConfig.quick.environments)
        XCTAssertEqual(config.workers, 3)
        XCTAssertEqual(config.evaluationInterval, 10_000, "a tenth of the run")
        XCTAssertEqual(config.checkpointInterval, 10_000)
    }

    /// rbrl keeps RbRL's stop rule, the paper's methods the balanced one,
    /// unless a layer names a rule.
    func testEachMethodHasItsDefaultStopRule() throws {
        for (method, rule) in [("rbrl", RewardTrainingSettings.StopRule.accuracy), ("ours", .balancedAccuracy),
                               ("ours-cls", .balancedAccuracy), ("ours-equal", .balancedAccuracy), ("ours-reg", .balancedAccuracy)] {
            let config = try resolve([("f.yaml", "task: walker-walk\nmethod: \(method)\nsteps: 1000")])
            XCTAssertEqual(config.feedback?.training.stopRule, rule, method)
        }
        let chosen = try resolve([("f.yaml", "task: walker-walk\nmethod: ours\nsteps: 1000"),
                                  ("flags", #"{"method": "rbrl", "feedback": {"training": {"stopRule": "balanced-accuracy"}}}"#)])
        XCTAssertEqual(chosen.feedback?.training.stopRule, .balancedAccuracy)
        let switched = try resolve([("f.yaml", "task: walker-walk\nmethod: ours\nsteps: 1000"), ("flags", #"{"method": "rbrl"}"#)])
        XCTAssertEqual(switched.feedback?.training.stopRule, .accuracy, "the defaults are the final method's")
    }

    /// A feedback preset sits on the method's defaults; fields any layer sets
    /// override it, in whichever layer the preset was named.
    func testFeedbackPresetSitsUnderEveryLayer() throws {
        let config = try resolve([("f.yaml", "task: walker-walk\nmethod: rbrl\nsteps: 4000000\nratings: 800"),
                                  ("options", #"{"feedbackPreset": "rbrl-walker"}"#)])
        let feedback = try XCTUnwrap(config.feedback)
        XCTAssertEqual(feedback.preset, "rbrl-walker")
        XCTAssertEqual(feedback.schedule, FeedbackSchedule(total: 800, perRound: 100, interval: 32_000, firstRound: 32_000),
                       "the file's ratings count wins over the preset named later")
        XCTAssertEqual(feedback.querySelection, .disagreement(candidateFactor: 10))
        XCTAssertEqual(feedback.unsupervisedSteps, 32_000)
        XCTAssertEqual(feedback.training.stopAccuracy, 0.97, "fields the preset leaves alone keep the defaults")
        let plain = try resolve([("f.yaml", "task: walker-walk\nmethod: rbrl\nsteps: 4000000")])
        XCTAssertNil(plain.feedback?.preset)
        XCTAssertEqual(plain.feedback?.schedule.total, 2000)
        XCTAssertEqual(try resolve([("f.json", try String(decoding: ConfigValue(encoding: config).prettyJSON(), as: UTF8.self))]),
                       config, "a resolved config with a preset reads back unchanged")
        assertRejected([("f.yaml", "task: walker-walk\nmethod: ours\nsteps: 1\nfeedbackPreset: rbrl")],
                       saying: ["unknown feedback preset 'rbrl'", "valid: rbrl-walker"])
        assertRejected([("f.yaml", "task: walker-walk\nmethod: ppo\nsteps: 1\nfeedbackPreset: rbrl-walker")],
                       saying: ["apply only to methods that learn from ratings"])
    }

    func testPaperPresetForQuadrupedAndShorthands() throws {
        let config = try resolve([("f.json", #"{"task": "quadruped-walk", "method": "rbrl", "preset": "paper", "steps": 4000000, "classes": 6, "alpha": 0.01, "query": "disagreement"}"#)])
        XCTAssertEqual(config.ppo, PPOConfig.paperQuadruped)
        XCTAssertEqual(config.feedback?.classes, 6)
        XCTAssertEqual(config.feedback?.rewardModel.objective.regression.scale, 0.01)
        XCTAssertEqual(config.feedback?.querySelection, .disagreement(candidateFactor: 10))
    }

    func testLaterLayersOverrideEarlierOnes() throws {
        let config = try resolve([
            ("f.yaml", "task: cartpole-balance\nmethod: ours\nsteps: 5000\nseed: 3\nfeedback: {classes: 3, maxReturn: 40}"),
            ("flags", #"{"method": "rbrl", "feedback": {"classes": 5}, "workers": 1}"#),
        ])
        XCTAssertEqual(config.method, .ratings(.rbrl))
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .rbrl, "the loss follows the method")
        XCTAssertEqual(config.feedback?.classes, 5)
        XCTAssertEqual(config.feedback?.maxReturn, 40)
        XCTAssertEqual(config.seed, 3)
        XCTAssertEqual(config.workers, 1)
    }

    /// `ratingScale: task` resolves into the task's fixed boundaries for the run's n, written to config.json.
    func testTheTaskRatingScaleResolvesIntoItsBoundaries() throws {
        let config = try resolve([("grid", "task: finger-spin\nmethod: ours\nsteps: 5000\nclasses: 5\nratingScale: task")])
        XCTAssertEqual(config.feedback?.scale, .task)
        XCTAssertEqual(config.feedback?.ratingEdges, try TaskRatingScale.innerEdges(task: "finger-spin", classCount: 5))
        XCTAssertEqual(try config.feedback?.rater().innerEdges, config.feedback?.ratingEdges)
        let own = try resolve([("f", "task: finger-spin\nmethod: ours\nsteps: 5000\nfeedback: {scale: task, ratingEdges: [1, 2, 3]}")])
        XCTAssertEqual(own.feedback?.ratingEdges, [1, 2, 3], "a configuration's own boundaries are kept")
        let uniform = try resolve([("f", "task: finger-spin\nmethod: ours\nsteps: 5000")])
        XCTAssertNil(uniform.feedback?.scale)
        XCTAssertNil(try uniform.feedback?.rater().innerEdges, "the default stays RbRL's equal bins")
        assertRejected([("f", "task: finger-spin\nmethod: ours\nsteps: 5000\nfeedback: {ratingEdges: [1, 2, 3]}")],
                       saying: ["ratingEdges apply to the task rating scale"])
        assertRejected([("f", "task: walker-run\nmethod: ours\nsteps: 5000\nratingScale: task")], saying: ["a task with measured boundaries"])
        assertRejected([("f", "task: finger-spin\nmethod: ours\nsteps: 5000\nfeedback: {scale: task, ratingEdges: [3, 2, 1]}")],
                       saying: ["strictly ascending"])
    }

    func testAResolvedConfigReadsBackUnchanged() throws {
        var feedback = FeedbackConfig(task: "finger-spin", loss: .oursCls, classes: 5)
        feedback.noise.boltzmannBeta = 2
        feedback.querySelection = .disagreement(candidateFactor: 4)
        feedback.scale = .task
        feedback.ratingEdges = [0.5, 2, 7.5, 30]
        var ppo = PPOConfig.paper
        ppo.learningRate = 1.7e-5
        let original = TrainingConfig(task: "finger-spin", method: .ratings(.oursCls), totalSteps: 12_345, seed: 99,
                                      preset: "paper", ppo: ppo, evaluationInterval: 777, evaluationEpisodes: 3,
                                      checkpointInterval: 555, workers: 1, feedback: feedback)
        let text = String(decoding: try ConfigValue(encoding: original).prettyJSON(), as: UTF8.self)
        XCTAssertEqual(try resolve([("config.json", text)]), original)
        XCTAssertEqual(try resolve([("config.yaml", text.replacingOccurrences(of: "{", with: " {"))]), original,
                       "the same text read as YAML")
    }

    func testUnknownFieldsNameTheirPathAndTheAllowedFields() {
        assertRejected([("f.yaml", "task: walker-walk\nsteps: 10\nmethod: ours\nfeedback: {trainng: {epochs: 3}}")],
                       saying: ["f.yaml", "unknown field 'feedback.trainng'", "training", "schedule", "classes"])
        assertRejected([("f.yaml", "taks: walker-walk")], saying: ["unknown field 'taks'", "task", "totalSteps", "steps"])
        assertRejected([("f.yaml", "ppo: {lerningRate: 1}")], saying: ["'ppo.lerningRate'", "learningRate", "gaeLambda"])
    }

    func testInvalidValuesNameTheFieldAndWhatItTakes() {
        let base = "task: walker-walk\nmethod: ours\nsteps: 5000\n"
        assertRejected([("f", base + "feedback: {classes: four}")], saying: ["feedback.classes must be a whole number", "four"])
        assertRejected([("f", base + "classes: 2.5")], saying: ["feedback.classes must be a whole number", "2.5"])
        assertRejected([("f", base + "classes: 7")], saying: ["rating classes must be between 2 and 6, got 7"])
        assertRejected([("f", base + "stopAccuracy: 1.5")], saying: ["stop accuracy", "between 0 and 1"])
        assertRejected([("f", base + "ppo: {learningRate: fast}")], saying: ["ppo.learningRate must be a number", "fast"])
        assertRejected([("f", base + "ppo: {hiddenSizes: 3}")], saying: ["ppo.hiddenSizes must be a list", "[64,64]", "got 3"])
        assertRejected([("f", base + "seeds: [1, 2]")], saying: ["seed takes one value", "sweep"])
        assertRejected([("f", base + "query: random")], saying: ["'random' is not available", "uniform, disagreement"])
        assertRejected([("f", "task: walker-fly\nsteps: 5")], saying: ["unknown task 'walker-fly'", "walker-walk"])
        assertRejected([("f", "task: walker-walk\nsteps: 5\nmethod: best")], saying: ["method 'best'", "ours-equal"])
        assertRejected([("f", "task: walker-walk\nsteps: 5\npreset: slow")], saying: ["unknown preset 'slow'", "quick, paper"])
        assertRejected([("f", "task: walker-walk\nsteps: 5\nclasses: 3")], saying: ["only to methods that learn from ratings", "ppo"])
        assertRejected([("f", "steps: 5")], saying: ["no task given"])
        assertRejected([("f", "task: walker-walk")], saying: ["no step count given"])
        assertRejected([("f", "task: walker-walk\nsteps: 5\nmethod: ours\nfeedback: {rewardModel: {objective: {loss: rbrl}}}")],
                       saying: ["loss (rbrl) differs from the method (ours)"])
        assertRejected([("f", "steps: 5\nsteps: 6")], saying: ["not valid YAML", "duplicated key(s): 'steps'"])
        assertRejected([("f", "steps: 5\ntotalSteps: 6")], saying: ["'steps' and 'totalSteps' both set totalSteps"])
        assertRejected([("f.json", "{\"task\": \"walker-walk\",\n \"steps\": 5")], saying: ["f.json is not valid JSON", "line 1"])
        assertRejected([("f", "- 1\n- 2")], saying: ["must hold an object of fields"])
    }

    func testRunPlanNotesSayWhatTheRunWillReallyDo() throws {
        let short = try resolve([("f", "task: cartpole-balance\nmethod: ours\nsteps: 1")])
        let notes = RunPlanNotes(short)
        XCTAssertEqual(notes.notes.first, "steps are rounded up to whole rollouts: 1 step = 1 rollout of 2048 (8 environments × 256 steps), so the run trains 2048 steps")
        XCTAssertEqual(notes.warnings.count, 1)
        XCTAssert(notes.warnings[0].contains("first ratings after 32768 steps") && notes.warnings[0].contains("--first-round"), notes.warnings[0])
        let covered = try resolve([("f", "task: cartpole-balance\nmethod: ours\nsteps: 40960\nfirstRound: 8192\nroundInterval: 8192\nratingsPerRound: 10\nratings: 50")])
        XCTAssertEqual(RunPlanNotes(covered), RunPlanNotes(notes: [], warnings: []))
        let partial = try resolve([("f", "task: cartpole-balance\nmethod: ours\nsteps: 40960\nfirstRound: 8192")])
        XCTAssertEqual(RunPlanNotes(partial).warnings, [])
        XCTAssertEqual(RunPlanNotes(partial).notes, ["only 2 of 20 feedback rounds fit in 40960 steps: at most 200 of 2000 ratings"])
        XCTAssertEqual(RunPlanNotes(try resolve([("f", "task: cartpole-balance\nsteps: 4096")])), RunPlanNotes(notes: [], warnings: []))
    }
}
