import ArborFixtures
import ArborModel
import Testing

@testable import ArborIndex

/// The index against the naive reference model on hundreds of random graphs and requests.
@Suite struct DifferentialTests {
    @Test(arguments: 0..<300)
    func indexAgreesWithReferenceModel(seed: Int) throws {
        let graph = RandomGraph(seed: UInt64(seed))
        let snapshot = try IndexSnapshot.build(
            roles: graph.roles, users: graph.users, edges: graph.edges, rollups: graph.rollups, version: 1,
            asOfUnixMs: 0)
        let model = ReferenceModel(roles: graph.roles, users: graph.users, edges: graph.edges, rollups: graph.rollups)
        var queries = RandomQueries(random: SeededGenerator(seed: UInt64(seed) &* 7919), users: graph.users.map(\.id))

        for _ in 0..<8 {
            let query = queries.descendants()
            #expect(
                Result { () throws(QueryError) in try snapshot.descendants(query) }
                    == Result { () throws(QueryError) in try model.descendants(query) }, "\(query)")
        }
        for _ in 0..<8 {
            let query = queries.filteredStats()
            let expected = Result { () throws(QueryError) in try model.filteredStats(query) }
            for strategy in [.automatic, .sparse, .tuples] as [StatsGrouping.Strategy] {
                #expect(
                    Result { () throws(QueryError) in try snapshot.filteredStats(query, strategy: strategy) }
                        == expected, "\(strategy): \(query)")
            }
        }
        // The same rows streamed in another order build a snapshot that answers the same.
        var builder = IndexSnapshotBuilder(roles: graph.roles, users: graph.users, edges: graph.edges)
        var shuffler = SeededGenerator(seed: UInt64(seed))
        for rollup in graph.rollups.shuffled(using: &shuffler) { builder.addRollup(rollup) }
        let streamed = try builder.build(version: 1, asOfUnixMs: 0)
        for _ in 0..<4 {
            let stats = queries.filteredStats()
            #expect(
                Result { () throws(QueryError) in try streamed.filteredStats(stats) }
                    == Result { () throws(QueryError) in try model.filteredStats(stats) }, "streamed: \(stats)")
            let board = queries.leaderboard()
            #expect(
                Result { () throws(QueryError) in try streamed.leaderboard(board) }
                    == Result { () throws(QueryError) in try model.leaderboard(board) }, "streamed: \(board)")
        }
        for _ in 0..<8 {
            let query = queries.leaderboard()
            #expect(
                Result { () throws(QueryError) in try snapshot.leaderboard(query) }
                    == Result { () throws(QueryError) in try model.leaderboard(query) }, "\(query)")
        }
        for limit in [0, 1, 2] as [UInt32] {
            #expect(snapshot.cycles(CyclesQuery(limit: limit)) == model.cycles(CyclesQuery(limit: limit)))
        }
        for _ in 0..<4 {
            let query = queries.findUsers()
            #expect(try snapshot.findUsers(query) == model.findUsers(query), "\(query)")
        }
    }
}
