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
            roles: graph.roles, users: graph.users, edges: graph.edges, rollups: graph.rollups)
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
        let streamed = try builder.build()
        // The same rows as a full load reads them, packs user by user in id order with kind codes, go straight into
        // place and answer the same.
        let packed = try Self.buildFromPacks(graph, seed: UInt64(seed))
        for (label, built) in [("streamed", streamed), ("packed", packed)] {
            for _ in 0..<4 {
                let stats = queries.filteredStats()
                #expect(
                    Result { () throws(QueryError) in try built.filteredStats(stats) }
                        == Result { () throws(QueryError) in try model.filteredStats(stats) }, "\(label): \(stats)")
                let board = queries.leaderboard()
                #expect(
                    Result { () throws(QueryError) in try built.leaderboard(board) }
                        == Result { () throws(QueryError) in try model.leaderboard(board) }, "\(label): \(board)")
            }
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
    /// A snapshot fed as a full load feeds it: one pack per user and month in (user, month) order, kinds by sparse
    /// codes; checks that the rows went straight into place.
    static func buildFromPacks(_ graph: RandomGraph, seed: UInt64) throws -> IndexSnapshot {
        var kinds: [RollupKind] = []
        var codeOf: [RollupKindKey: Int32] = [:]
        for row in graph.rollups {
            let key = RollupKindKey(type: row.registrationType, channel: row.channel)
            if codeOf[key] == nil {
                // Sparse codes, as an identity column leaves them after failed inserts.
                let code = Int32(kinds.count * 7 + 3)
                codeOf[key] = code
                kinds.append(RollupKind(code: code, registrationType: row.registrationType, channel: row.channel))
            }
        }
        var generator = SeededGenerator(seed: seed)
        kinds.shuffle(using: &generator)
        let ordered = graph.rollups.sorted { ($0.user, $0.day.daysSinceEpoch) < ($1.user, $1.day.daysSinceEpoch) }
        var builder = IndexSnapshotBuilder(
            roles: graph.roles, users: graph.users, edges: graph.edges, kinds: kinds,
            expectedRollupRows: ordered.count / 2)
        var start = 0
        while start < ordered.count {
            var end = start
            let month = ordered[start].day.isoString.prefix(7)
            while end < ordered.count, ordered[end].user == ordered[start].user,
                ordered[end].day.isoString.prefix(7) == month
            {
                end += 1
            }
            let entries = ordered[start..<end].map {
                RollupEntry(
                    day: $0.day, kind: codeOf[RollupKindKey(type: $0.registrationType, channel: $0.channel)]!,
                    registrations: $0.registrations)
            }
            builder.addRollups(of: ordered[start].user, entries)
            start = end
        }
        #expect(builder.rollupsWrittenInPlace)
        return try builder.build()
    }
}

private struct RollupKindKey: Hashable {
    var type: String?
    var channel: String?
}
