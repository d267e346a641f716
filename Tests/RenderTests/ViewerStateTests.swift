import Playback
import Render
import XCTest

/// The viewer's keys, orders and timing, without a window.
final class ViewerStateTests: XCTestCase {
    typealias Facts = ViewerState.ClipFacts

    /// Four clips: classes 0, 2, 2, 1; predictions agree with the classes except clip 0's (predicted highest).
    let clips = [Facts(frameCount: 5, rating: 0, trueReturn: 3, predictedReturn: 9),
                 Facts(frameCount: 5, rating: 2, trueReturn: 30, predictedReturn: 6),
                 Facts(frameCount: 5, rating: 2, trueReturn: 40, predictedReturn: 7),
                 Facts(frameCount: 5, rating: 1, trueReturn: 20, predictedReturn: 2)]

    func testKeysMoveBetweenClipsAndWrapAround() {
        var state = ViewerState(clips: clips)
        XCTAssertEqual(state.clip, 0)
        state.apply(.previous)
        XCTAssertEqual(state.clip, 3)
        state.apply(.next); state.apply(.next)
        XCTAssertEqual(state.clip, 1)
        XCTAssertEqual(ViewerState.Command(.character("n")), .next)
        XCTAssertEqual(ViewerState.Command(.rightArrow), .next)
        XCTAssertEqual(ViewerState.Command(.leftArrow), .previous)
        XCTAssertEqual(ViewerState.Command(.character("+")), .faster)
        XCTAssertEqual(ViewerState.Command(.escape), .quit)
        XCTAssertEqual(ViewerState.Command(.close), .quit)
        XCTAssertNil(ViewerState.Command(.character("x")))
    }

    func testRatingOrderPutsHighClassesFirstAndBreaksTiesByTrueReturn() {
        var state = ViewerState(clips: clips, order: .rating)
        XCTAssertEqual(state.sequence, [2, 1, 3, 0])
        state.apply(.cycleOrder)
        XCTAssertEqual(state.order, .disagreement)
        state.apply(.cycleOrder)
        XCTAssertEqual(state.order, .file)
        XCTAssertEqual(state.sequence, [0, 1, 2, 3])
    }

    func testDisagreementComparesRanksByClassAndByPrediction() {
        // Class ranks (mid-ranks / 3): 0, 2.5/3, 2.5/3, 1/3; prediction ranks: 1, 1/3, 2/3, 0.
        let scores = ViewerState.disagreements(clips)
        XCTAssertEqual(scores[0], 1, accuracy: 1e-12)
        XCTAssertEqual(scores[1], 0.5, accuracy: 1e-12)
        XCTAssertEqual(scores[2], 0.5 / 3, accuracy: 1e-12)
        XCTAssertEqual(scores[3], 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(ViewerState(clips: clips, order: .disagreement).sequence, [0, 1, 3, 2])
        // A clip without a prediction is last and scores -1.
        var partial = clips
        partial[0].predictedReturn = nil
        XCTAssertEqual(ViewerState.disagreements(partial)[0], -1)
        XCTAssertEqual(ViewerState(clips: partial, order: .disagreement).sequence.last, 0)
    }

    func testAPredictionArrivingKeepsTheClipShown() {
        var partial = clips
        partial[0].predictedReturn = nil
        var state = ViewerState(clips: partial, order: .disagreement)
        state.apply(.next)
        let shown = state.clip
        state.setPredictedReturn(9, of: 0)
        XCTAssertEqual(state.clip, shown)
        XCTAssertEqual(state.sequence, [0, 1, 3, 2])
    }

    func testTimeAdvancesFramesAtRealSpeedAndLoops() {
        var state = ViewerState(clips: clips)
        // Times in 64ths of a second, exact in binary.
        state.advance(seconds: 2.5 / 64, framesPerSecond: 64)
        XCTAssertEqual(state.frame, 2)
        state.advance(seconds: 0.5 / 64, framesPerSecond: 64)  // the half frame carried over completes frame 3
        XCTAssertEqual(state.frame, 3)
        state.advance(seconds: 3 / 64, framesPerSecond: 64)    // 3 more, past the 5-frame clip's end
        XCTAssertEqual(state.frame, 1)
        state.apply(.faster)
        XCTAssertEqual(state.speed, 2)
        state.advance(seconds: 1 / 64, framesPerSecond: 64)
        XCTAssertEqual(state.frame, 3)
        for _ in 0..<10 { state.apply(.slower) }
        XCTAssertEqual(state.speed, ViewerState.speeds.first)
    }

    func testPausingAndSteppingHoldTheFrame() {
        var state = ViewerState(clips: clips, paused: true)
        state.advance(seconds: 1, framesPerSecond: 64)
        XCTAssertEqual(state.frame, 0)
        state.apply(.stepBackward)
        XCTAssertEqual(state.frame, 4)
        state.apply(.stepForward); state.apply(.stepForward)
        XCTAssertEqual(state.frame, 1)
        state.apply(.togglePause)
        XCTAssertFalse(state.paused)
        state.apply(.stepForward)
        XCTAssertTrue(state.paused, "a frame step pauses")
        state.apply(.next)
        XCTAssertEqual(state.frame, 0, "a new clip starts at its first frame")
    }
}
