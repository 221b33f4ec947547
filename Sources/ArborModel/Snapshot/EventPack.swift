/// One node's rollup rows of one month as a full load reads them: a view of the packed bytes, valid only inside the
/// call that hands it out.
///
/// Entry format (big-endian, fixed width, ``Layout/width`` bytes):
///
///     uint8 day of the month − 1 (0…30) || [uint24 combination code, when the source has dimensions]
///     || int4 count || int8 per sum (in model order, as value × 10^scale)
///
/// The widths are what keeps a full load fast: the bytes of the packs cross the socket, and on the war-story demo
/// 8 bytes an entry (121 MB at 13) is most of a load's time.
/// Entries are sorted by key — the first ``Layout/keyLength`` bytes, compared as bytes, which is (day, code) — and
/// every key appears once with a count above 0.
public struct EventPack {
    /// The shape of one source's entries.
    public struct Layout: Hashable, Sendable {
        public let hasCombination: Bool
        public let measureCount: Int

        public init(hasCombination: Bool, measureCount: Int) {
            self.hasCombination = hasCombination
            self.measureCount = measureCount
        }

        /// Bytes of the key: the day, then the combination code if any.
        @inlinable public var keyLength: Int { hasCombination ? 4 : 1 }
        /// Bytes of one entry.
        @inlinable public var width: Int { keyLength + 4 + 8 * (measureCount - 1) }
    }

    /// The node the rows belong to.
    public let node: NodeID
    /// The first day of the month.
    public let month: Day
    public let layout: Layout
    @usableFromInline let entries: UnsafeRawBufferPointer

    /// - Precondition: `entries.count` is a multiple of `layout.width` (``isWellFormed`` checks it).
    public init(node: NodeID, month: Day, layout: Layout, entries: UnsafeRawBufferPointer) {
        self.node = node
        self.month = month
        self.layout = layout
        self.entries = entries
    }

    /// Whether the bytes are whole entries.
    public var isWellFormed: Bool { entries.count % layout.width == 0 }

    /// Number of entries.
    @inlinable public var count: Int { entries.count / layout.width }

    /// The day of entry `index`, as days since 1970-01-01.
    @inlinable
    public func day(_ index: Int) -> Int32 {
        month.daysSinceEpoch &+ Int32(entries[index &* layout.width])
    }

    /// The day of the month − 1 of entry `index` (0…30 in a well-formed pack).
    @inlinable
    public func dayOfMonth(_ index: Int) -> Int { Int(entries[index &* layout.width]) }

    /// The combination code of entry `index` (0 without dimensions).
    @inlinable
    public func combination(_ index: Int) -> UInt32 {
        guard layout.hasCombination else { return 0 }
        let start = index &* layout.width
        return UInt32(entries[start &+ 1]) << 16 | UInt32(entries[start &+ 2]) << 8 | UInt32(entries[start &+ 3])
    }

    /// Measure `measure` (`count` is 0) of entry `index`.
    @inlinable
    public func measure(_ index: Int, _ measure: Int) -> Int64 {
        let start = index &* layout.width &+ layout.keyLength
        if measure == 0 { return Int64(Int32(bigEndian: entries.loadUnaligned(fromByteOffset: start, as: Int32.self))) }
        return Int64(
            bigEndian: entries.loadUnaligned(fromByteOffset: start &+ 4 &+ (measure &- 1) &* 8, as: Int64.self))
    }
}

/// The dimension values of every combination code of one source's packs (``EventPack/combination(_:)``).
public struct EventCombinations: Sendable {
    /// The codes, in any order.
    public var codes: [UInt32]
    /// Per dimension of the source (model order), the value of each code in ``codes``; `nil` for NULL.
    public var values: [[String?]]

    public init(codes: [UInt32] = [], values: [[String?]] = []) {
        self.codes = codes
        self.values = values
    }
}
