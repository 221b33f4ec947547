import Synchronization

/// An immutable array that a newer version can extend without copying: the elements live in a buffer with room to
/// spare, and appending claims the slots after this version's last element in place when no other version has
/// claimed them yet (an atomic compare-and-exchange), or copies into a larger buffer otherwise.
///
/// Every version reads only its own `count` elements, which nobody writes after they were claimed, so versions can
/// be read from any number of threads while a newer one is built. This is what lets an incremental refresh append
/// the rows, ranks and ids of new nodes to arrays of tens of millions of elements in time proportional to what it
/// appends, not to the arrays (``ModelIndex/applying(_:)``).
struct AppendableArray<Element>: @unchecked Sendable {
    /// The buffer; `claimed` is how many of its slots some version has written.
    private final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>
        let capacity: Int
        let claimed: Atomic<Int>

        init(capacity: Int, claimed: Int) {
            self.capacity = max(capacity, 1)
            self.base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
            self.claimed = Atomic(claimed)
        }

        deinit {
            base.deinitialize(count: claimed.load(ordering: .acquiring))
            base.deallocate()
        }
    }

    private let storage: Storage
    let count: Int

    /// A copy of `elements` with room for `spare` more (by default an eighth, at least 1,024). Pages of the spare
    /// room that are never written are never touched, so large arrays cost address space for it, not memory.
    init(_ elements: some Collection<Element>, spare: Int? = nil) {
        let count = elements.count
        let storage = Storage(capacity: count + (spare ?? max(count / 8, 1024)), claimed: count)
        let buffer = UnsafeMutableBufferPointer(start: storage.base, count: count)
        _ = buffer.initialize(fromContentsOf: elements)
        self.storage = storage
        self.count = count
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        let storage = Storage(capacity: count + max(count / 8, 1024), claimed: count)
        storage.base.initialize(repeating: value, count: count)
        self.storage = storage
        self.count = count
    }

    /// `count` elements written in place by `initialize`, which must write every one of them: a build fills its
    /// columns here directly instead of copying a finished array. Only for trivial element types (integers).
    init(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        let storage = Storage(capacity: count + max(count / 8, 1024), claimed: count)
        initialize(UnsafeMutableBufferPointer(start: storage.base, count: count))
        self.storage = storage
        self.count = count
    }

    private init(storage: Storage, count: Int) {
        self.storage = storage
        self.count = count
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index out of range")
        return storage.base[index]
    }

    /// Calls `body` with the elements; the pointer is valid only inside `body`.
    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: storage.base, count: count)) }
    }

    /// The elements in place. The buffer never moves or frees while this array (or a copy of it) lives, so the view
    /// is valid as long as the caller keeps the array alive (`withExtendedLifetime`), for hot loops that would
    /// otherwise nest a closure per array.
    var unsafeElements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: storage.base, count: count) }

    /// Bytes of the elements (the spare room is address space, mostly never touched).
    var byteCount: Int { count * MemoryLayout<Element>.stride }

    /// This array followed by `elements`: in place when no other version has appended to this buffer since this
    /// one was made and the spare room suffices, else in a new buffer with room for as many again as it holds.
    func appending(contentsOf elements: some Collection<Element>) -> AppendableArray {
        let added = elements.count
        guard added > 0 else { return self }
        let total = count + added
        if total <= storage.capacity,
            storage.claimed.compareExchange(expected: count, desired: total, ordering: .acquiringAndReleasing)
                .exchanged
        {
            let buffer = UnsafeMutableBufferPointer(start: storage.base + count, count: added)
            _ = buffer.initialize(fromContentsOf: elements)
            return AppendableArray(storage: storage, count: total)
        }
        let grown = Storage(capacity: total + max(total / 8, 1024), claimed: total)
        grown.base.update(from: storage.base, count: count)
        let buffer = UnsafeMutableBufferPointer(start: grown.base + count, count: added)
        _ = buffer.initialize(fromContentsOf: elements)
        return AppendableArray(storage: grown, count: total)
    }

    /// A copy with `changes` made (position, new value): a new buffer, since earlier versions must not see them.
    func replacing(_ changes: [(index: Int, value: Element)]) -> AppendableArray {
        guard !changes.isEmpty else { return self }
        let copy = Storage(capacity: count + max(count / 8, 1024), claimed: count)
        copy.base.update(from: storage.base, count: count)
        for change in changes {
            precondition(change.index >= 0 && change.index < count, "index out of range")
            copy.base[change.index] = change.value
        }
        return AppendableArray(storage: copy, count: count)
    }
}
