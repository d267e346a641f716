import Dispatch
import Foundation
import Processes
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a request to stop at the next safe point
/// (the run then writes a checkpoint); a second SIGINT ends the process at once.
/// A run started by a sweep (`ParentProcess.variable` in its environment)
/// also stops this way when that sweep has gone, even if it was killed
/// outright, so no orphaned run goes on beside a rerun of the sweep.
final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var signals: SignalWatch?
    private var parentWatch: DispatchSourceTimer?

    /// Starts watching; the signals' default action (ending the process) is
    /// replaced for as long as the monitor lives.
    init() {
        signals = SignalWatch { [weak self] number in self?.receive(number) }
        if let value = ProcessInfo.processInfo.environment[ParentProcess.variable], let parent = Int32(value) {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now(), repeating: .seconds(1))
            timer.setEventHandler { [weak self] in
                guard let self, getppid() != parent, !self.stopRequested else { return }
                FileHandle.standardError.write(Data("\nthe sweep that started this run has ended\n".utf8))
                self.receive(SIGTERM)
            }
            timer.resume()
            parentWatch = timer
        }
    }

    deinit {
        parentWatch?.cancel()
    }

    private func receive(_ signalNumber: Int32) {
        lock.lock()
        let first = received == nil
        if first { received = signalNumber }
        lock.unlock()
        if first {
            let name = signalNumber == SIGINT ? "interrupt" : "SIGTERM"
            FileHandle.standardError.write(Data("\n\(name) received: finishing the current step and writing a checkpoint (Ctrl-C again to stop at once)\n".utf8))
        } else if signalNumber == SIGINT {
            FileHandle.standardError.write(Data("\nstopped at once; the run resumes from its last checkpoint\n".utf8))
            _exit(130)
        }
    }

    /// Whether a stop was requested.
    var stopRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return received != nil
    }

    /// The exit status for the signal received: 130 for SIGINT, 143 for SIGTERM.
    var exitStatus: Int32 {
        lock.lock(); defer { lock.unlock() }
        return 128 + (received ?? SIGINT)
    }
}
