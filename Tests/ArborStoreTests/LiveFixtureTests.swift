import ArborFixtures
import ArborModel
import ArborStore
import Testing

/// Every hand-built fixture case, answered by live SQL: each graph in a fresh migrated database (time zone UTC).
@Suite struct LiveFixtureTests {
    @Test(arguments: HandBuiltGraphs.all.map(\.name))
    func everyFixtureCaseMatchesLiveSQL(graphName: String) async throws {
        let graph = try #require(HandBuiltGraphs.all.first { $0.name == graphName })
        try await TestDatabase.withMigratedClient("fixture_\(graphName)", timeZone: "UTC") { client in
            try await GraphLoader.load(graph, into: client)
            let live = LiveQueries(client: client)
            #expect(!graph.cases.isEmpty)
            for fixture in graph.cases {
                try await Self.check(fixture, graph: graphName, live: live)
            }
        }
    }

    static func check(_ fixture: FixtureCase, graph: String, live: LiveQueries) async throws {
        let where_ = Comment(rawValue: "\(graph): \(fixture.label)")
        switch fixture {
        case .descendants(_, let query, let expected):
            let actual = await outcome { try await live.descendants(query, deadline: nil).value }
            #expect(actual == expected, where_)
        case .filteredStats(_, let query, let expected):
            let actual = await outcome { try await live.filteredStats(query, deadline: nil).value }
            #expect(actual == expected, where_)
        case .leaderboard(_, let query, let expected):
            let actual = await outcome { try await live.leaderboard(query, deadline: nil).value }
            #expect(actual == expected, where_)
        case .cycles(_, let query, let expected):
            let actual = await outcome { try await live.cycles(query, deadline: nil).value }
            #expect(actual == expected, where_)
        case .findUsers(_, let query, let expected):
            let actual = await outcome { try await live.findUsers(query, deadline: nil).value }
            #expect(actual == expected, where_)
        }
    }
}

/// The answer or the ``QueryError``; any other error is a test failure and is rethrown as a failed outcome.
func outcome<T>(_ body: () async throws -> T) async -> Result<T, QueryError> {
    do {
        return .success(try await body())
    } catch let error as QueryError {
        return .failure(error)
    } catch {
        Issue.record(error, "unexpected error")
        return .failure(QueryError(code: .invalidArgument, field: "-", message: "unexpected \(error)"))
    }
}
