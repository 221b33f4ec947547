import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire

/// The Hierarchy service on a test database, with its snapshot and refresher, called without a transport.
struct ServiceHarness {
    let snapshots = SnapshotHolder<ModelIndex>()
    let service: ModelHierarchyService
    let refresher: ModelRefresher

    init(
        model: ResolvedModel, client: PostgresClient, maxStaleness: Duration = .seconds(3600),
        staleIfError: Duration = .seconds(3600), refreshInterval: Duration = .seconds(2),
        changeLogRetention: Duration = .seconds(3600)
    ) {
        service = ModelHierarchyService(
            model: model, client: client, snapshots: snapshots,
            configuration: .init(defaultMaxStaleness: maxStaleness, staleIfError: staleIfError),
            logger: TestDatabase.logger)
        refresher = ModelRefresher(
            model: model, client: client, snapshots: snapshots, health: nil,
            configuration: .init(refreshInterval: refreshInterval, changeLogRetention: changeLogRetention),
            logger: TestDatabase.logger)
    }

    /// FilteredStats of ``DemoTree``'s root over all time: one row, `totals` its registrations.
    static func totalRequest(_ freshness: ArborV2.Freshness? = nil) -> ArborV2.FilteredStatsRequest {
        ArborV2.FilteredStatsRequest(root: DemoTree.root, freshness: freshness)
    }

    /// The registrations of ``DemoTree``'s root and its downline, as `freshness` has them answered.
    func total(
        _ freshness: ArborV2.Freshness? = nil, deadline: ContinuousClock.Instant? = nil
    ) async throws(RPCError) -> (count: Int64, meta: ArborV2.ResponseMeta?) {
        let response = try await service.filteredStats(Self.totalRequest(freshness), deadline: deadline)
        return (response.totals.first ?? 0, response.meta)
    }

    /// Waits until the refresher has published a snapshot.
    func firstSnapshot() async throws {
        while snapshots.current == nil { try await Task.sleep(for: .milliseconds(20)) }
    }
}
