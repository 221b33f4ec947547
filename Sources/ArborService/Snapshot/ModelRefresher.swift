import ArborHTTP2
import ArborIndex
import ArborLogging
import ArborModel
import ArborStore
import Logging
import Synchronization

/// Keeps the published ``ModelIndex`` close to PostgreSQL for any model: a full load at start, a look at the
/// change log (`arbor.model_changes`) every ``Refresher/Configuration/refreshInterval`` and a full rebuild every
/// ``Refresher/Configuration/fullRebuildInterval``. Loads happen off the request path, each read in one REPEATABLE
/// READ snapshot, and the new index is published whole. A failed refresh keeps the old index and is retried at the
/// next tick. An unchanged database costs one cheap query: the same index is republished with the newer stamp.
///
/// When something changed, the changes are applied to the published index (``ModelIndex/applying(_:)``): the log
/// is read, and what it does not carry — changed nodes' rows, whether changed pairs are still stored, every edge and
/// rollup row of a node new to the index — is read in the same snapshot with a few bound queries
/// (``ModelIndexDelta/read(_:model:current:on:)``). A `reset` or a change of the closed value sets, or a delta
/// the index cannot apply exactly, loads everything instead.
public final class ModelRefresher: Sendable {
    /// What one refresh did.
    public enum Outcome: Hashable, Sendable {
        /// Everything was read again and a new index built.
        case fullLoad(nodes: Int, rollupRows: Int, milliseconds: Int64)
        /// The change log's entries were applied to the published index.
        case incremental(changes: Int, milliseconds: Int64)
        /// Nothing changed since the published snapshot; it was republished with the newer stamp.
        case unchanged
    }

    private let model: ResolvedModel
    private let client: PostgresClient
    private let snapshots: SnapshotHolder<ModelIndex>
    private let health: HealthService?
    private let configuration: Refresher.Configuration
    private let logger: Logger
    /// A refresh fails at every tick while PostgreSQL is down: one line per 10 s, with a count.
    private let eventLog = RateLimitedLog()
    /// When the published snapshot last caught up with PostgreSQL.
    private let lastCaughtUp = Mutex<ContinuousClock.Instant?>(nil)

    public init(
        model: ResolvedModel, client: PostgresClient, snapshots: SnapshotHolder<ModelIndex>, health: HealthService?,
        configuration: Refresher.Configuration, logger: Logger
    ) {
        self.model = model
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
                if case .fullLoad(let nodes, let rows, let milliseconds) = try await refresh(forceFullLoad: full) {
                    lastFullLoad = .now
                    logger.info(
                        "snapshot loaded",
                        metadata: ["nodes": "\(nodes)", "rollup_rows": "\(rows)", "ms": "\(milliseconds)"])
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

    /// One refresh: a full load when asked to or when there is no snapshot yet (or the change log may no longer
    /// hold what it missed); otherwise a look at the change log that republishes the current index when nothing
    /// changed, applies the changes when it can, and loads everything when it cannot.
    @discardableResult
    public func refresh(forceFullLoad: Bool = false) async throws -> Outcome {
        let caughtUp = lastCaughtUp.withLock { $0 }
        let logStillCovers = caughtUp.map { .now - $0 < configuration.changeLogRetention / 2 } ?? false
        guard !forceFullLoad, logStillCovers, let current = snapshots.current else { return try await fullLoad() }
        let started = ContinuousClock.now
        let (since, model, index) = (current.postgresSnapshot, self.model, current.index)
        let (snapshot, asOf, changeCount, delta) = try await client.withReadOnlySnapshot(
            deadline: .now + configuration.loadTimeout
        ) {
            connection in
            let (snapshot, asOf) = try connection.snapshotAndTime()
            let changes = try connection.modelChanges(since: since, until: snapshot, model: model)
            let delta = try ModelIndexDelta.read(changes, model: model, current: index, on: connection)
            return (snapshot, asOf, changes.count, delta)
        }
        let stamp = DataStamp(version: snapshot.version, asOfUnixMs: asOf)
        guard changeCount > 0 else {
            var republished = current
            republished.postgresSnapshot = snapshot
            republished.stamp = stamp
            snapshots.publish(republished)
            lastCaughtUp.withLock { $0 = started }
            await prepareRunningTotals(of: current.index, wanted: false)
            return .unchanged
        }
        guard let delta else { return try await fullLoad() }
        try Task.checkCancellation()
        let updated: ModelIndex
        do {
            updated = try index.applying(delta)
        } catch {
            // The log and the index disagree, or the change cannot be applied exactly: start again from scratch.
            logger.warning("change log not applicable; reloading", metadata: ["error": "\(error)"])
            return try await fullLoad()
        }
        snapshots.publish(
            SnapshotHolder<ModelIndex>.Published(index: updated, postgresSnapshot: snapshot, stamp: stamp))
        lastCaughtUp.withLock { $0 = started }
        let milliseconds = (ContinuousClock.now - started).wholeMilliseconds
        await prepareRunningTotals(of: updated, wanted: false)
        logger.debug(
            "snapshot refreshed", metadata: ["changes": "\(changeCount)", "ms": "\(milliseconds)"])
        return .incremental(changes: changeCount, milliseconds: milliseconds)
    }

    /// Where running day totals are built: a thread of its own, off the request path and Swift's global executor.
    private static let runningTotalsExecutor = DedicatedExecutor(label: "arbor.v2.running-totals")

    /// Builds the running day totals of a published index (``ModelIndex/prepareRunningTotals()``) when a
    /// leaderboard asked for them on it or, `wanted`, on the index it replaces; leaderboards read rows until then.
    /// An incremental refresh carries them over, so this builds only after a full load, or when a change could not
    /// be carried (a total outgrew its column), or on the first leaderboard's wish.
    private func prepareRunningTotals(of index: ModelIndex, wanted: Bool) async {
        guard wanted || index.runningTotalsWanted, !index.runningTotalsReady else { return }
        let started = ContinuousClock.now
        await withTaskExecutorPreference(Self.runningTotalsExecutor) { index.prepareRunningTotals() }
        logger.debug(
            "running day totals built", metadata: ["ms": "\((ContinuousClock.now - started).wholeMilliseconds)"])
    }

    /// Reads and builds the whole index in the snapshot of `connection`'s transaction: nodes and edges with binary
    /// `COPY`, events from the packs streamed straight into the index's columns (``ModelLoadReader``,
    /// ``ModelIndexBuilder``). When a source's packs cannot say (a value past 64 bits made one NULL), everything is
    /// read again from the rollups row by row, in the same snapshot.
    ///
    /// - Returns: the index and how many rollup rows it holds.
    static func load(_ model: ResolvedModel, on connection: PostgresConnection) throws -> (ModelIndex, Int) {
        let reader = try ModelLoadReader(model, on: connection)
        var builder = try ModelIndexBuilder(model: model, nodes: try reader.nodes(), edges: try reader.edges())
        var rows = 0
        for source in model.sources {
            try builder.beginSource(
                combinations: try reader.combinations(of: source), layout: SourcePack(source).layout,
                expectedRows: try reader.estimatedEntries(of: source))
            var failure: (any Error)?
            let usable = try reader.packs(of: source) { pack in
                guard failure == nil else { return }
                do {
                    try builder.add(pack)
                    rows += pack.count
                } catch {
                    failure = error
                }
            }
            if !usable || failure != nil {
                let rows = try ModelRows.read(model, events: .rollups, on: connection)
                let index = try ModelIndex(model: model, rows: rows)
                return (index, rows.events.reduce(0) { $0 + $1.count })
            }
        }
        return (builder.build(closedValues: try reader.closedValues()), rows)
    }

    private func fullLoad() async throws -> Outcome {
        let started = ContinuousClock.now
        let model = self.model
        let (index, rollupRows, snapshot, asOf) = try await client.withReadOnlySnapshot(
            deadline: .now + configuration.loadTimeout
        ) { connection in
            let (snapshot, asOf) = try connection.snapshotAndTime()
            let (index, rollupRows) = try Self.load(model, on: connection)
            return (index, rollupRows, snapshot, asOf)
        }
        try Task.checkCancellation()
        let totalsWanted = snapshots.current?.index.runningTotalsWanted ?? false
        snapshots.publish(
            SnapshotHolder<ModelIndex>.Published(
                index: index, postgresSnapshot: snapshot,
                stamp: DataStamp(version: snapshot.version, asOfUnixMs: asOf)))
        lastCaughtUp.withLock { $0 = started }
        health?.setServing(true)
        AllocatorTuning.releaseFreeMemory()
        await prepareRunningTotals(of: index, wanted: totalsWanted)
        let retention = configuration.changeLogRetention
        do {
            let pruned = try await client.withConnection(deadline: .now + configuration.loadTimeout) {
                try $0.pruneModelChanges(olderThan: retention)
            }
            if pruned > 0 { logger.debug("pruned the change log", metadata: ["entries": "\(pruned)"]) }
        } catch {
            logger.warning("could not prune the change log", metadata: ["error": "\(error)"])
        }
        return .fullLoad(
            nodes: index.nodeCount, rollupRows: rollupRows,
            milliseconds: (ContinuousClock.now - started).wholeMilliseconds)
    }
}
