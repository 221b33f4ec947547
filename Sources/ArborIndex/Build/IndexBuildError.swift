import ArborModel

/// Why rows cannot be turned into a snapshot. The caller keeps its previous snapshot (or answers live).
public struct IndexBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }

    static func dayRangeTooWide(first: Int32, last: Int32) -> IndexBuildError {
        IndexBuildError(
            message: "rollup days span \(Int(last) - Int(first) + 1) days; the index holds at most 65536 distinct days")
    }

    static func tooManyCombinations(_ count: Int) -> IndexBuildError {
        IndexBuildError(
            message: "\(count) distinct (registration type, channel) pairs; the index holds at most 65536")
    }

    static func unknownKind(_ code: Int32) -> IndexBuildError {
        IndexBuildError(message: "a rollup pack names kind \(code), which arbor.rollup_kinds does not hold")
    }

    static func negativeCount(user: UserID, day: Int32, type: String?, channel: String?, count: Int64)
        -> IndexBuildError
    {
        IndexBuildError(
            message: "rollup of user \(user) on \(Day(daysSinceEpoch: day).isoString) (type \(type ?? "NULL"), "
                + "channel \(channel ?? "NULL")) would hold \(count) registrations; the deltas do not match the snapshot"
        )
    }

    static func countTooLarge(user: UserID, day: Int32, count: UInt64) -> IndexBuildError {
        IndexBuildError(
            message: "rollup of user \(user) on \(Day(daysSinceEpoch: day).isoString) holds \(count) registrations; "
                + "the index holds at most \(RollupTable.maximumCount) per user, day, type and channel")
    }
}
