import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresConnection {
    /// The current transaction's snapshot. In a REPEATABLE READ transaction (``PostgresClient/withReadOnlySnapshot(deadline:_:)``)
    /// it is the snapshot every statement of the transaction sees; its ``PostgresSnapshot/version`` is the version
    /// of the data read.
    public func currentSnapshot() throws -> PostgresSnapshot {
        let text = try self.query("SELECT pg_current_snapshot()::text").first!.decode(String.self, at: 0)
        guard let snapshot = PostgresSnapshot(text) else {
            throw StoreError(.protocolViolation, "PostgreSQL returned a snapshot that does not parse")
        }
        return snapshot
    }

    /// `arbor.current_version()`: the next transaction id. Data at a version at least this includes every
    /// transaction committed before the call.
    public func currentVersion() throws -> UInt64 {
        try self.query("SELECT arbor.current_version()").first!.decode(UInt64.self, at: 0)
    }
}
