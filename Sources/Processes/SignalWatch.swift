import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Catches SIGINT and SIGTERM (instead of ending the process) and remembers
/// the last one received; `onSignal`, if given, is told of each one as it
/// arrives (signals sent close together are each reported).
public final class SignalWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "ratingrl.signals")

    private let watched: [Int32]

    public init(signals: [Int32] = [SIGINT, SIGTERM], onSignal: (@Sendable (Int32) -> Void)? = nil) {
        watched = signals
        for number in signals {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            // Signals arriving close together are delivered as one event with a count.
            source.setEventHandler { [weak self, source] in
                guard let self else { return }
                for _ in 0..<max(1, source.data) {
                    self.lock.lock()
                    self.signal = number
                    self.lock.unlock()
                    onSignal?(number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops catching: the signals get their default handling again.
    deinit {
        for source in sources { source.cancel() }
        for number in watched { Glibc.signal(number, SIG_DFL) }
    }

    /// The last signal received, if any.
    public var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }
}
