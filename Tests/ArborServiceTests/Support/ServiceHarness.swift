import ArborClient
import ArborFixtures
import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire

/// A Hierarchy service on a test database, with its snapshot and refresher, called without a transport.
struct ServiceHarness {
    let snapshots = SnapshotHolder<IndexSnapshot>()
    let service: HierarchyService
    let refresher: Refresher

    init(
        client: PostgresClient, maxStaleness: Duration = .seconds(3600), staleIfError: Duration = .seconds(3600),
        refreshInterval: Duration = .seconds(2)
    ) {
        service = HierarchyService(
            live: LiveQueries(client: client), snapshots: snapshots,
            configuration: .init(defaultMaxStaleness: maxStaleness, staleIfError: staleIfError),
            logger: TestDatabase.logger)
        refresher = Refresher(
            client: client, snapshots: snapshots, health: nil,
            configuration: .init(refreshInterval: refreshInterval), logger: TestDatabase.logger)
    }

    /// What one fixture case answered, in model terms, with the source that answered it.
    enum Answer: Equatable {
        case descendants(DescendantsResult)
        case filteredStats(FilteredStatsResult)
        case leaderboard(LeaderboardResult)
        case cycles(CyclesResult)
        case findUsers(FindUsersResult)
    }

    /// Runs a fixture case through the service; `meta` is the answer's response meta.
    func run(
        _ fixture: FixtureCase, _ freshness: ArborV1.Freshness?
    ) async -> (answer: Result<Answer, RPCError>, meta: ArborV1.ResponseMeta?) {
        do {
            switch fixture {
            case .descendants(_, let query, _):
                let chunks = try await service.descendants(query.wire(freshness), deadline: nil)
                return (.success(.descendants(try DescendantsResult(chunks))), chunks.last?.meta)
            case .filteredStats(_, let query, _):
                let response = try await service.filteredStats(query.wire(freshness), deadline: nil)
                return (.success(.filteredStats(ResponseDecoding.stats(response).value)), response.meta)
            case .leaderboard(_, let query, _):
                let response = try await service.leaderboard(query.wire(freshness), deadline: nil)
                return (.success(.leaderboard(try ResponseDecoding.leaderboard(response).value)), response.meta)
            case .cycles(_, let query, _):
                let response = try await service.cycles(query.wire(freshness), deadline: nil)
                return (.success(.cycles(try ResponseDecoding.cycles(response).value)), response.meta)
            case .findUsers(_, let query, _):
                let response = try await service.findUsers(query.wire(freshness), deadline: nil)
                return (
                    .success(.findUsers(FindUsersResult(users: try ResponseDecoding.users(response).value))),
                    response.meta
                )
            }
        } catch let error as RPCError {
            return (.failure(error), nil)
        } catch {
            return (.failure(RPCError(code: .internal, message: "\(error)")), nil)
        }
    }
}

extension FixtureCase {
    /// The hand-written expectation as the service reports it: the result, or the status and message.
    var expectedAnswer: Result<ServiceHarness.Answer, RPCError> {
        func map<T>(_ result: Result<T, QueryError>, _ wrap: (T) -> ServiceHarness.Answer) -> Result<
            ServiceHarness.Answer, RPCError
        > {
            switch result {
            case .success(let value): .success(wrap(value))
            case .failure(let error):
                .failure(RPCError(code: error.code == .notFound ? .notFound : .invalidArgument, message: error.message))
            }
        }
        switch self {
        case .descendants(_, _, let expected): return map(expected, ServiceHarness.Answer.descendants)
        case .filteredStats(_, _, let expected): return map(expected, ServiceHarness.Answer.filteredStats)
        case .leaderboard(_, _, let expected): return map(expected, ServiceHarness.Answer.leaderboard)
        case .cycles(_, _, let expected): return map(expected, ServiceHarness.Answer.cycles)
        case .findUsers(_, _, let expected): return map(expected, ServiceHarness.Answer.findUsers)
        }
    }

    var label: String {
        switch self {
        case .descendants(let label, _, _), .filteredStats(let label, _, _), .leaderboard(let label, _, _),
            .cycles(let label, _, _), .findUsers(let label, _, _):
            label
        }
    }
}

extension Result where Failure == RPCError {
    /// Equal results, or failures with the same status and message.
    func matches(_ other: Result<Success, RPCError>) -> Bool where Success: Equatable {
        switch (self, other) {
        case (.success(let a), .success(let b)): a == b
        case (.failure(let a), .failure(let b)): a.code == b.code && a.message == b.message
        default: false
        }
    }
}
