/// One result slot per member, written from concurrent iterations.
///
/// `@unchecked Sendable`: iteration m writes slot m only, each slot's storage
/// is separate (a pointer, not a shared array buffer), and slots are read only
/// after the concurrent call has returned.
final class MemberResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    subscript(index: Int) -> Value? {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    var values: [Value?] { (0..<count).map { slots[$0] } }
}
