/// The `arbor.v2.Hierarchy` service: ``ModelHierarchyService``, the only service version there is.
public typealias HierarchyService = ModelHierarchyService

extension ModelHierarchyService {
    /// Limits and defaults of the service.
    public struct Configuration: Sendable {
        /// Snapshot age allowed when a request leaves `max_staleness_ms` at 0.
        public var defaultMaxStaleness: Duration
        /// How old a snapshot may be and still answer, flagged stale, while PostgreSQL is unreachable.
        public var staleIfError: Duration
        /// Largest encoded unary response; a larger one is RESOURCE_EXHAUSTED.
        public var maxResponseBytes: Int
        /// How many live queries run at once and how many may wait.
        public var live: QueryGate.Configuration
        /// How many heavy cached queries (Leaderboard, FilteredStats, Cycles, Describe) run at once, and how many
        /// wait: with fewer running than there are cores, cheap calls always find a free thread.
        public var heavy: QueryGate.Configuration

        public init(
            defaultMaxStaleness: Duration = .seconds(5), staleIfError: Duration = .seconds(600),
            maxResponseBytes: Int = 4 * 1024 * 1024, live: QueryGate.Configuration = .init(),
            heavy: QueryGate.Configuration = .heavyDefault
        ) {
            self.defaultMaxStaleness = defaultMaxStaleness
            self.staleIfError = staleIfError
            self.maxResponseBytes = maxResponseBytes
            self.live = live
            self.heavy = heavy
        }
    }
}
