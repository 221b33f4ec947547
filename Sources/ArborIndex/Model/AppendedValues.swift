/// Values an incremental refresh added to a label dictionary after it was built: the sorted values stay as they
/// are (renumbering 30 million codes for each new log line would cost a full encode), and each new value gets the
/// next code and remembers the gap of the sorted values it falls in.
///
/// Only the label grows this way: it is never a group key, so the one thing its keys must do is order nodes for
/// FindNodes, and ``LabelOrder`` orders the values of a gap by their bytes. A full load folds them into the sorted
/// values again.
struct AppendedValues: Sendable {
    /// Value `i` has code `sortedCount + 1 + i`.
    private(set) var values: [String] = []
    /// The key of the sorted value just below value `i` (0 when only `""` or nothing is below it).
    private(set) var gaps: [UInt32] = []
    private var codeOfValue: [String: Int] = [:]

    /// Number of values.
    var count: Int { values.count }

    /// The position of `value` among the appended values.
    func position(of value: String) -> Int? { codeOfValue[value] }

    /// Adds a value the sorted values do not hold, in gap `gap`.
    mutating func append(_ value: String, gap: UInt32) {
        codeOfValue[value] = values.count
        values.append(value)
        gaps.append(gap)
    }

    var byteCount: Int {
        values.reduce(0) { $0 + $1.utf8.count + 16 } + gaps.capacity * 4 + codeOfValue.capacity * 40
    }
}
