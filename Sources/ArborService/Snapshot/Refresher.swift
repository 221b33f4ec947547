import ArborHTTP2
import ArborIndex
import ArborLogging
import ArborModel
import ArborStore
import Logging
import Synchronization

/// Keeps the published snapshot close to PostgreSQL: a full load at start, then a check every
/// ``Configuration/refreshInterval`` and a full rebuild every ``Configuration/fullRebuildInterval``.
///
/// Loads happen off the request path and the new snapshot is published whole. A failed refresh keeps the old
/// snapshot and is retried at the next tick. An unchanged database costs one cheap query: the change log between
/// the published snapshot and a new one is empty, so the same index is republished with the newer stamp.
public final class Refresher: Sendable {
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

    /// What one refresh did.
    public enum Outcome: Hashable, Sendable {
        /// Everything was read again and a new index built; `inPlace` tells whether the rollups went straight into
        /// the index's columns (packs arrive in user order; otherwise they were staged, which costs memory).
        case fullLoad(users: Int, rollups: Int, inPlace: Bool, milliseconds: Int64)
        /// Nothing changed since the published snapshot; it was republished with the newer stamp.
        case unchanged
        /// Only registrations changed: their rollup deltas were applied to the published index.
        case incremental(deltas: Int, milliseconds: Int64)
    }

    private let client: PostgresClient
    private let snapshots: SnapshotHolder<IndexSnapshot>
    private let health: HealthService?
    private let configuration: Configuration
    private let logger: Logger
    /// A refresh fails at every tick while PostgreSQL is down: one line per 10 s, with a count.
    private let eventLog = RateLimitedLog()
    /// When the published snapshot last caught up with PostgreSQL.
    private let lastCaughtUp = Mutex<ContinuousClock.Instant?>(nil)

    public init(
        client: PostgresClient, snapshots: SnapshotHolder<IndexSnapshot>, health: HealthService?,
        configuration: Configuration,
        logger: Logger
    ) {
        self.client = client
        self.snapshots = snapshots
        self.health = health
        self.configuration = configuration
        self.logger = logger
    }

    /// Refreshes on schedule until the task is cancelled.
    public func run() async {
        var lastFullLoad: ContinuousClock.Instant?
        while !Task.isCancelled {
            let full = lastFullLoad.map { .now - $0 >= configuration.fullRebuildInterval } ?? true
            do {
                let outcome = try await refresh(forceFullLoad: full)
                if case .fullLoad(let users, let rollups, let inPlace, let milliseconds) = outcome {
                    lastFullLoad = .now
                    if !inPlace {
                        // Packs are read ORDER BY user_id; staging means that order and the index's disagree.
                        logger.warning("rollup packs did not arrive in user order; the load staged them")
                    }
                    logger.info(
                        "snapshot loaded",
                        metadata: [
                            "users": "\(users)", "rollups": "\(rollups)", "ms": "\(milliseconds)",
                            "rollups_in_place": "\(inPlace)",
                        ])
                }
            } catch is CancellationError {
                return
            } catch {
                let detail = (error as? StoreError)?.logDescription ?? "\(error)"
                eventLog.log(
                    logger, level: .warning, kind: "refresh-failed", "refresh failed; keeping the current snapshot",
                    metadata: ["error": "\(detail)"])
            }
            try? await Task.sleep(for: configuration.refreshInterval)
        }
    }

    /// One refresh: a full load when asked to or when there is no snapshot yet, otherwise a check of the change
    /// log that republishes the current index when nothing changed and loads everything when something did.
    @discardableResult
    public func refresh(forceFullLoad: Bool = false) async throws -> Outcome {
        let caughtUp = lastCaughtUp.withLock { $0 }
        let logStillCovers = caughtUp.map { .now - $0 < configuration.changeLogRetention / 2 } ?? false
        if !forceFullLoad, logStillCovers, let current = snapshots.current {
            let since = current.postgresSnapshot
            let started = ContinuousClock.now
            let (snapshot, asOf, changes) = try await client.withReadOnlySnapshot(deadline: deadline()) {
                connection in
                let (snapshot, asOf) = try connection.snapshotAndTime()
                return (snapshot, asOf, try connection.changes(since: since, until: snapshot))
            }
            let stamp = DataStamp(version: snapshot.version, asOfUnixMs: asOf)
            if changes.isEmpty {
                var republished = current
                republished.postgresSnapshot = snapshot
                republished.stamp = stamp
                snapshots.publish(republished)
                lastCaughtUp.withLock { $0 = started }
                return .unchanged
            }
            // Registrations are the everyday change; users, edges, roles and resets rebuild everything.
            if let deltas = Self.rollupDeltas(changes) {
                let index: IndexSnapshot
                do {
                    index = try current.index.applying(rollupDeltas: deltas)
                } catch {
                    // The log and the snapshot disagree (or a layout limit was reached): start again from scratch.
                    logger.warning("change log not applicable; reloading", metadata: ["error": "\(error)"])
                    return try await fullLoad()
                }
                snapshots.publish(
                    SnapshotHolder<IndexSnapshot>.Published(index: index, postgresSnapshot: snapshot, stamp: stamp))
                lastCaughtUp.withLock { $0 = started }
                return .incremental(
                    deltas: deltas.count, milliseconds: (ContinuousClock.now - started).wholeMilliseconds)
            }
        }
        return try await fullLoad()
    }

    private func fullLoad() async throws -> Outcome {
        let started = ContinuousClock.now
        let retention = configuration.changeLogRetention
        let (index, graph, rollups, inPlace) = try await SnapshotLoader(client: client).load(deadline: deadline()) {
            graph, streamPacks in
            // Packs come in user id order, so their rows go straight into the snapshot's columns.
            var builder = IndexSnapshotBuilder(
                roles: graph.roles, users: graph.users, edges: graph.edges, kinds: graph.kinds,
                expectedRollupRows: graph.rollupRowCount)
            var rollups = 0
            try streamPacks { user, entries in
                builder.addRollups(of: user, entries)
                rollups += entries.count
            }
            let inPlace = builder.rollupsWrittenInPlace
            let index = try builder.build()
            return (index, graph, rollups, inPlace)
        }
        snapshots.publish(
            SnapshotHolder<IndexSnapshot>.Published(
                index: index, postgresSnapshot: graph.snapshot,
                stamp: DataStamp(version: graph.snapshot.version, asOfUnixMs: graph.asOfUnixMs)))
        lastCaughtUp.withLock { $0 = started }
        health?.setServing(true)
        AllocatorTuning.releaseFreeMemory()
        do {
            let pruned = try await client.withConnection(deadline: deadline()) {
                try $0.pruneChangeLog(olderThan: retention)
            }
            if pruned > 0 { logger.debug("pruned the change log", metadata: ["entries": "\(pruned)"]) }
        } catch {
            logger.warning("could not prune the change log", metadata: ["error": "\(error)"])
        }
        return .fullLoad(
            users: graph.users.count, rollups: rollups, inPlace: inPlace,
            milliseconds: (ContinuousClock.now - started).wholeMilliseconds)
    }

    /// The rollup deltas of `changes`, or `nil` when anything else changed.
    static func rollupDeltas(_ changes: [ChangeLogEntry]) -> [RollupRow]? {
        var deltas: [RollupRow] = []
        deltas.reserveCapacity(changes.count)
        for change in changes {
            guard let delta = change.rollupDelta else { return nil }
            deltas.append(delta)
        }
        return deltas
    }

    private func deadline() -> ContinuousClock.Instant { .now + configuration.loadTimeout }
}
