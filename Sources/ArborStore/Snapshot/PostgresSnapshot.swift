/// A PostgreSQL snapshot (`pg_snapshot`): which transactions a reader sees.
///
/// Its text form is `xmin:xmax:xip,…` — every transaction below `xmin` has finished, none at or above `xmax` had
/// started, and those listed in between were still running. An in-memory snapshot of Arbor mirrors one of these;
/// its version is ``xmin`` (`docs/contract.md`, Freshness).
public struct PostgresSnapshot: Sendable, Hashable, CustomStringConvertible {
    /// The lowest transaction id still running when the snapshot was taken.
    public let xmin: UInt64
    /// The first transaction id not yet assigned then.
    public let xmax: UInt64
    /// Transactions between ``xmin`` and ``xmax`` that were running (invisible to this snapshot).
    public let inProgress: [UInt64]

    /// Parses the text form `xmin:xmax:xip,…`; `nil` if it is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let xmin = UInt64(parts[0]), let xmax = UInt64(parts[1]), xmin <= xmax else {
            return nil
        }
        var inProgress: [UInt64] = []
        if !parts[2].isEmpty {
            for item in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
                guard let xid = UInt64(item), xid >= xmin, xid < xmax else { return nil }
                inProgress.append(xid)
            }
        }
        self.xmin = xmin
        self.xmax = xmax
        self.inProgress = inProgress
    }

    /// The version of data read in this snapshot: every transaction below it is included.
    public var version: UInt64 { self.xmin }

    /// Whether the transaction `xid` had committed (or aborted) before this snapshot, as `pg_visible_in_snapshot`.
    public func isVisible(_ xid: UInt64) -> Bool {
        xid < self.xmin || (xid < self.xmax && !self.inProgress.contains(xid))
    }

    /// The text form, as PostgreSQL prints and reads it.
    public var description: String {
        "\(self.xmin):\(self.xmax):" + self.inProgress.map(String.init).joined(separator: ",")
    }
}
