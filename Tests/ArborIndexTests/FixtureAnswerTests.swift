import ArborFixtures
import ArborModel
import Testing

@testable import ArborIndex

/// Every hand-built fixture case, answered by the index and by the reference model, equals the hand-written answer.
@Suite struct FixtureAnswerTests {
    static let cases = HandBuiltGraphs.allCases.map { FixtureCaseArgument(graph: $0.graph, fixture: $0.fixture) }

    @Test(arguments: cases)
    func indexAnswersAsWrittenByHand(_ argument: FixtureCaseArgument) throws {
        let snapshot = try argument.graph.snapshot()
        expect(
            argument.fixture, snapshot.descendants, snapshot.filteredStats, snapshot.leaderboard,
            { query throws(QueryError) in snapshot.cycles(query) }, snapshot.findUsers)
    }

    @Test(arguments: cases)
    func streamedBuildAnswersAsWrittenByHand(_ argument: FixtureCaseArgument) throws {
        let graph = argument.graph
        var builder = IndexSnapshotBuilder(roles: graph.roles, users: graph.users, edges: graph.edges)
        for rollup in graph.rollups.reversed() { builder.addRollup(rollup) }
        let snapshot = try builder.build()
        expect(
            argument.fixture, snapshot.descendants, snapshot.filteredStats, snapshot.leaderboard,
            { query throws(QueryError) in snapshot.cycles(query) }, snapshot.findUsers)
    }

    @Test(arguments: cases)
    func referenceModelAnswersAsWrittenByHand(_ argument: FixtureCaseArgument) {
        let graph = argument.graph
        let model = ReferenceModel(roles: graph.roles, users: graph.users, edges: graph.edges, rollups: graph.rollups)
        expect(
            argument.fixture, model.descendants, model.filteredStats, model.leaderboard,
            { query throws(QueryError) in model.cycles(query) }, { query throws(QueryError) in model.findUsers(query) })
    }

    private func expect(
        _ fixture: FixtureCase,
        _ descendants: (DescendantsQuery) throws(QueryError) -> DescendantsResult,
        _ filteredStats: (FilteredStatsQuery) throws(QueryError) -> FilteredStatsResult,
        _ leaderboard: (LeaderboardQuery) throws(QueryError) -> LeaderboardResult,
        _ cycles: (CyclesQuery) throws(QueryError) -> CyclesResult,
        _ findUsers: (FindUsersQuery) throws(QueryError) -> FindUsersResult
    ) {
        switch fixture {
        case .descendants(_, let query, let expected):
            #expect(Result { () throws(QueryError) in try descendants(query) } == expected)
        case .filteredStats(_, let query, let expected):
            #expect(Result { () throws(QueryError) in try filteredStats(query) } == expected)
        case .leaderboard(_, let query, let expected):
            #expect(Result { () throws(QueryError) in try leaderboard(query) } == expected)
        case .cycles(_, let query, let expected):
            #expect(Result { () throws(QueryError) in try cycles(query) } == expected)
        case .findUsers(_, let query, let expected):
            #expect(Result { () throws(QueryError) in try findUsers(query) } == expected)
        }
    }
}

/// A fixture case with its graph, labelled for the test report.
struct FixtureCaseArgument: Sendable, CustomTestStringConvertible {
    var graph: HandBuiltGraph
    var fixture: FixtureCase

    var testDescription: String { "\(graph.name): \(fixture.label)" }
}

extension HandBuiltGraph {
    func snapshot() throws -> IndexSnapshot {
        try IndexSnapshot.build(roles: roles, users: users, edges: edges, rollups: rollups)
    }
}
