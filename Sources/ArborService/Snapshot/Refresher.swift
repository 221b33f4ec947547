/// The refresher of the served snapshot: ``ModelRefresher``, the only one there is.
public typealias Refresher = ModelRefresher

extension ModelRefresher {
    /// When the snapshot is refreshed and rebuilt, and how long the change log is kept.
    public struct Configuration: Sendable {
        public var refreshInterval: Duration
        public var fullRebuildInterval: Duration
        /// Longest a single load or check may take before it is abandoned and retried.
        public var loadTimeout: Duration
        /// How long change-log entries are kept. A refresher whose snapshot is older than half of it reloads
        /// everything instead of reading the log, since entries it needs may be gone.
        public var changeLogRetention: Duration

        public init(
            refreshInterval: Duration = .seconds(2), fullRebuildInterval: Duration = .seconds(600),
            loadTimeout: Duration = .seconds(300), changeLogRetention: Duration = .seconds(3600)
        ) {
            self.refreshInterval = refreshInterval
            self.fullRebuildInterval = fullRebuildInterval
            self.loadTimeout = loadTimeout
            self.changeLogRetention = changeLogRetention
        }
    }
}
