import ArborModel
import ArborStore
import Synchronization

/// The snapshot requests read, swapped in whole by the refresher; readers never see a half-built one.
public final class SnapshotHolder<Index: Sendable>: Sendable {
    /// One published snapshot: the index and which database state it mirrors.
    public struct Published: Sendable {
        public var index: Index
        /// The PostgreSQL snapshot the index mirrors; the next incremental refresh starts from it.
        public var postgresSnapshot: PostgresSnapshot
        /// Version and time used for routing and for responses' `meta`.
        public var stamp: DataStamp

        public init(index: Index, postgresSnapshot: PostgresSnapshot, stamp: DataStamp) {
            self.index = index
            self.postgresSnapshot = postgresSnapshot
            self.stamp = stamp
        }
    }

    private let published = Mutex<Published?>(nil)

    public init() {}

    /// The snapshot to answer from, or `nil` before the first load.
    public var current: Published? { published.withLock { $0 } }

    /// Publishes `snapshot` for every request that starts from now on.
    public func publish(_ snapshot: Published) {
        published.withLock { $0 = snapshot }
    }
}
