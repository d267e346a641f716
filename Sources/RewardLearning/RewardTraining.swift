import Dispatch
import NeuralNet
import Randomness
import Ratings

extension RewardEnsemble {
    /// Trains every member on the whole label buffer for one feedback round
    /// and reports what it reached.
    ///
    /// Each member makes up to `settings.epochs` passes over the buffer, each in
    /// its own random order, with one Adam step per minibatch on its network
    /// and, for the learned weightings, on its s₁, s₂. The members' streams are
    /// split from `random`, so the result depends on the seed and the settings,
    /// never on thread timing. Training stops early after the first epoch whose
    /// training accuracy (over the epoch's minibatches, averaged over members;
    /// plain or class-balanced, as `settings.stopRule` says) exceeds
    /// `settings.stopAccuracy`, once `settings.minimumEpochs` have run.
    ///
    /// Accuracy is measured the same way for every method, by applying the
    /// minibatch's proportion-matched boundaries to R̂, even when L_cls is not
    /// optimised: for `ours-reg` that read-out of the regression-trained model
    /// is what stops training early, and otherwise it runs all `epochs`.
    ///
    /// - Parameters:
    ///   - features: the L·inputSize row-major inputs of a segment, built with
    ///     the caller's current observation normalisation (`RewardFeatures.concatenated`).
    ///   - heldOut: rated segments not trained on; the report gives the
    ///     correlation of their ensemble-mean predicted and true returns.
    ///   - round: the feedback round's index, named in errors and the report.
    ///   - afterEpoch: called after each epoch with the number of epochs done and
    ///     the epoch's mean training accuracy; an error it throws ends training
    ///     and is rethrown (e.g. to stop for an interrupt).
    /// - Throws: `RewardLearningError.emptyLabelBuffer`; input errors from
    ///   `SegmentInputs`; `RewardLearningError.nonFiniteLoss` (naming the round)
    ///   as soon as a minibatch's loss or gradient is NaN or infinite; that
    ///   update is never applied, though earlier updates of the round are kept.
    public func train(on buffer: LabelBuffer, features: (Segment) throws -> [Float], heldOut: [Segment] = [],
                      round: Int, settings: RewardTrainingSettings = RewardTrainingSettings(),
                      random: inout SeededRandom,
                      afterEpoch: (_ epochs: Int, _ accuracy: Double) throws -> Void = { _, _ in }) throws -> TrainingReport {
        guard !buffer.isEmpty else { throw RewardLearningError.emptyLabelBuffer(round: round) }
        let inputs = try SegmentInputs(segments: buffer.items.map(\.segment), inputSize: inputSize, features: features)
        let heldOutInputs = heldOut.isEmpty
            ? nil : try SegmentInputs(segments: heldOut, inputSize: inputSize, features: features)
        return try train(inputs: inputs, labels: buffer.items.map(\.rating), classCount: buffer.classCount,
                         heldOut: heldOutInputs.map { ($0, heldOut.map(\.trueReturn)) },
                         round: round, settings: settings, random: &random, afterEpoch: afterEpoch)
    }

    /// `train(on:features:…)` on prepared inputs: `labels[s]` rates segment s of `inputs`.
    /// - Throws: as `train(on:…)`, plus `RatingError` for a class count outside
    ///   2…6 or a label outside 0…n−1, and `RewardLearningError` for mismatched sizes.
    public func train(inputs: SegmentInputs, labels: [Int], classCount: Int,
                      heldOut: (inputs: SegmentInputs, trueReturns: [Double])? = nil,
                      round: Int, settings: RewardTrainingSettings = RewardTrainingSettings(),
                      random: inout SeededRandom,
                      afterEpoch: (_ epochs: Int, _ accuracy: Double) throws -> Void = { _, _ in }) throws -> TrainingReport {
        let clock = ContinuousClock()
        let started = clock.now
        try RatingScale.validate(classCount: classCount)
        try settings.validate()
        guard !labels.isEmpty else { throw RewardLearningError.emptyLabelBuffer(round: round) }
        guard inputs.inputSize == inputSize else {
            throw RewardLearningError.inputSizeMismatch(expected: inputSize, found: inputs.inputSize)
        }
        guard inputs.count == labels.count else {
            throw RewardLearningError.invalidSetting(name: "labels", value: "\(labels.count) for \(inputs.count) segments",
                                                     allowed: "one label per segment")
        }
        var histogram = [Int](repeating: 0, count: classCount)
        for label in labels {
            guard label >= 0, label < classCount else {
                throw RatingError.ratingOutOfRange(rating: label, classCount: classCount)
            }
            histogram[label] += 1
        }
        if let heldOut, heldOut.inputs.count != heldOut.trueReturns.count {
            throw RewardLearningError.invalidSetting(
                name: "held-out returns", value: "\(heldOut.trueReturns.count) for \(heldOut.inputs.count) segments",
                allowed: "one true return per held-out segment")
        }

        let members = self.members
        for member in members { member.random = random.split() }
        defer { for member in members { member.endRound() } }
        let objective = configuration.objective
        let batchSize = settings.batchSize, splits = settings.rowSplits
        let segmentCount = labels.count, length = inputs.segmentLength
        let shardTasks = members.count * splits
        var epochs = 0
        var stoppedEarly = false
        func throwFailure() throws {
            if let failure = members.lazy.compactMap(\.failure).first { throw failure }
        }
        // Members are independent; they advance minibatch by minibatch side by
        // side so that every member's row shards can share the cores evenly.
        while epochs < settings.epochs {
            let epoch = epochs
            for member in members { member.beginEpoch(segmentCount: segmentCount, shardCount: splits) }
            var batchIndex = 0
            for start in stride(from: 0, to: segmentCount, by: batchSize) {
                let batch = start..<min(start + batchSize, segmentCount)
                let isFull = batch.count == batchSize, index = batchIndex
                for member in members { member.beginBatch(batch) }
                DispatchQueue.concurrentPerform(iterations: shardTasks) { task in
                    members[task / splits].forward(shard: task % splits, inputs: inputs, isFullBatch: isFull)
                }
                for (m, member) in members.enumerated() {
                    member.evaluate(labels: labels, classCount: classCount, segmentLength: length,
                                    objective: objective, round: round, epoch: epoch, batchIndex: index, memberIndex: m)
                }
                try throwFailure()
                DispatchQueue.concurrentPerform(iterations: shardTasks) { task in
                    members[task / splits].backward(shard: task % splits)
                }
                DispatchQueue.concurrentPerform(iterations: members.count) { m in
                    members[m].applyUpdate(objective: objective, round: round, epoch: epoch, batchIndex: index,
                                           memberIndex: m)
                }
                try throwFailure()
                batchIndex += 1
            }
            for member in members { member.endEpoch() }
            epochs += 1
            let accuracy = members.reduce(0) { $0 + $1.lastEpoch.accuracy } / Double(members.count)
            let balanced = members.reduce(0) { $0 + $1.lastEpoch.balancedAccuracy } / Double(members.count)
            try afterEpoch(epochs, settings.stopRule == .accuracy ? accuracy : balanced)
            if settings.stops(afterEpochs: epochs, accuracy: accuracy, balancedAccuracy: balanced,
                              classesPresent: histogram.filter { $0 > 0 }.count) {
                stoppedEarly = true
                break
            }
        }

        let diagnostics = members.map { member -> MemberDiagnostics in
            let last = member.lastEpoch
            let weights = objective.loss.weights(member.logVariances)
            return MemberDiagnostics(
                accuracy: last.accuracy, balancedAccuracy: last.balancedAccuracy, classificationLoss: last.mean(last.classificationLoss),
                regressionLoss: last.mean(last.regressionLoss), totalLoss: last.mean(last.totalLoss),
                s1: member.logVariances.s1, s2: member.logVariances.s2,
                regressionWeight: weights.regression, classificationWeight: weights.classification)
        }
        var pearson: Double?, spearman: Double?, constant: Bool?
        if let heldOut, heldOut.inputs.count > 0 {
            let perMember = try segmentReturns(heldOut.inputs)
            let predicted = (0..<heldOut.inputs.count).map { s in
                perMember.reduce(0) { $0 + $1[s] } / Double(perMember.count)
            }
            pearson = Correlation.pearson(predicted, heldOut.trueReturns)
            spearman = Correlation.spearman(predicted, heldOut.trueReturns)
            constant = heldOut.inputs.count > 1 && predicted.allSatisfy { $0 == predicted[0] }
        }
        let elapsed = clock.now - started
        return TrainingReport(
            round: round, loss: objective.loss, segmentCount: labels.count, ratingHistogram: histogram,
            epochs: epochs, stoppedEarly: stoppedEarly, members: diagnostics, mean: .mean(diagnostics),
            heldOutCount: heldOut?.inputs.count ?? 0, pearson: pearson, spearman: spearman,
            heldOutPredictionsConstant: constant,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
