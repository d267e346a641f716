/// One result slot per iteration of a `DispatchQueue.concurrentPerform`
/// (ensemble members, environments), written from the concurrent iterations.
///
/// `@unchecked Sendable`: iteration i writes slot i only, each slot's storage
/// is separate (a pointer, not a shared array buffer), and slots are read only
/// after the concurrent call has returned.
public final class ParallelResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    public let count: Int

    public init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    public subscript(index: Int) -> Value? {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    public var values: [Value?] { (0..<count).map { slots[$0] } }
}
