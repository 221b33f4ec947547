import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row of `arbor.change_log`: something an incremental refresh must apply.
public struct ChangeLogEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The user ``ChangeLogEntry/userID`` was inserted, updated or deleted: re-read it.
        case user
        /// The edge ``ChangeLogEntry/userID`` (parent) → ``ChangeLogEntry/otherID`` (child) was inserted or
        /// deleted: check whether it exists.
        case edge
        /// The rollup (user, day, type, channel) changed by ``ChangeLogEntry/delta``.
        case rollup
        /// Anything may have changed (the time zone changed, a table was truncated): reload everything.
        case reset
    }

    /// The writing transaction.
    public var transactionID: UInt64
    /// Write order.
    public var sequence: Int64
    public var kind: Kind
    public var userID: UUID?
    public var otherID: UUID?
    public var day: Day?
    public var registrationType: String?
    public var channel: String?
    /// The change in registrations of a ``Kind/rollup`` entry; 0 otherwise.
    public var delta: Int64
}
