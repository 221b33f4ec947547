import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// `ModelRefresher`'s incremental refresh against real PostgreSQL: random organisations under random models
/// (every id type, both hierarchy forms, zero to two sources one of which is the nodes table), installed with
/// `ModelInstaller`, then changed in rounds of several transactions — events inserted, updated and deleted, nodes
/// inserted (in the middle of the id order, above it, and ids that edges and events already named), updated
/// (label, attributes, parent, the nodes table's own event time) and deleted, edges added, duplicated and removed.
/// After each round the refreshed index must answer every call exactly as a full load of the same database does.
@Suite(.serialized) struct ModelRefreshTests {
    /// Installs `model` and returns an empty snapshot holder with a refresher that fills it.
    static func installed(_ model: ResolvedModel, client: PostgresClient) async throws
        -> (SnapshotHolder<ModelIndex>, ModelRefresher)
    {
        try await client.withConnection { _ = try ModelInstaller.install(model, on: $0) }
        let snapshots = SnapshotHolder<ModelIndex>()
        let refresher = ModelRefresher(
            model: model, client: client, snapshots: snapshots, health: nil,
            configuration: Refresher.Configuration(), logger: TestDatabase.logger)
        return (snapshots, refresher)
    }

    @Test(arguments: 1...12 as ClosedRange<UInt64>)
    func incrementalRefreshAnswersLikeAFullLoad(seed: UInt64) async throws {
        let data = RandomModelData(seed: seed &+ 4000)
        try await TestDatabase.withClient { client in
            let model = try await data.install(into: client)
            let (snapshots, refresher) = try await Self.installed(model, client: client)
            guard case .fullLoad = try await refresher.refresh(forceFullLoad: true) else {
                Issue.record("the first refresh is a full load")
                return
            }
            let writer = RandomWrites(data: data, model: model, seed: seed)
            var incremental = 0
            for round in 0..<4 {
                for _ in 0..<(1 + writer.random.below(3)) {
                    try await client.withTransaction { connection in try writer.write(on: connection) }
                }
                let outcome = try await refresher.refresh()
                switch outcome {
                case .incremental: incremental += 1
                case .unchanged: break  // the round's writes changed nothing the model maps
                case .fullLoad: Issue.record("seed \(seed), round \(round): a full load")
                }
                let published = try #require(snapshots.current)
                let rows = try await client.withReadOnlySnapshot {
                    try ModelRows.read(model, events: .rollups, on: $0)
                }
                let full = try ModelIndex(model: model, rows: rows)
                var extended = data
                extended.graph.ids = Array(Set(writer.ids + data.graph.ids)).sorted()
                try compare(
                    published.index, with: full, model: model, data: extended, seed: seed &* 10 &+ UInt64(round))
            }
            // Only a reset or changed closed values load everything; these rounds have neither.
            #expect(incremental >= 2, "seed \(seed)")
        }
    }

    /// A full load reads the packs (``SourcePack``) straight into the index; after random writes of every kind it
    /// must answer every call exactly as an index built from the rollup's rows, and from the source tables, does.
    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func aFullLoadFromThePacksAnswersLikeTheRows(seed: UInt64) async throws {
        let data = RandomModelData(seed: seed &+ 5000)
        try await TestDatabase.withClient { client in
            let model = try await data.install(into: client)
            let (snapshots, refresher) = try await Self.installed(model, client: client)
            let writer = RandomWrites(data: data, model: model, seed: seed)
            for round in 0..<3 {
                if round > 0 {
                    for _ in 0..<(1 + writer.random.below(3)) {
                        try await client.withTransaction { connection in try writer.write(on: connection) }
                    }
                }
                guard case .fullLoad = try await refresher.refresh(forceFullLoad: true) else {
                    Issue.record("seed \(seed), round \(round): a forced refresh is a full load")
                    return
                }
                // The same load by hand, to be sure it comes from the packs and not from the row-by-row fallback.
                let packed = try await client.withReadOnlySnapshot { connection in
                    let reader = try ModelLoadReader(model, on: connection)
                    var builder = try ModelIndexBuilder(
                        model: model, nodes: try reader.nodes(), edges: try reader.edges())
                    for source in model.sources {
                        try builder.beginSource(
                            combinations: try reader.combinations(of: source), layout: SourcePack(source).layout)
                        let usable = try reader.packs(of: source) { try builder.add($0) }
                        #expect(usable, "seed \(seed): packs of \(source.name) say nothing")
                    }
                    return builder.build(closedValues: try reader.closedValues())
                }
                let refreshed = try #require(snapshots.current).index
                try compare(refreshed, with: packed, model: model, data: data, seed: seed &* 10 &+ UInt64(round))
                var extended = data
                extended.graph.ids = Array(Set(writer.ids + data.graph.ids)).sorted()
                for events in [ModelSQL.EventReading.rollups, .sourceTables] {
                    let rows = try await client.withReadOnlySnapshot {
                        try ModelRows.read(model, events: events, on: $0)
                    }
                    let full = try ModelIndex(model: model, rows: rows)
                    try compare(packed, with: full, model: model, data: extended, seed: seed &* 10 &+ UInt64(round))
                }
            }
        }
    }

    /// A pack whose sum once passed 64 bits says nothing from then on (its entries are NULL); a full load then reads
    /// the rollups row by row instead: while the rollup itself holds a sum past 64 bits the load fails as it always
    /// did (the old index stays), and once that sum fits again the load succeeds and answers like the rows.
    @Test func aPackThatSaysNothingIsReadFromTheRollup() async throws {
        try await TestDatabase.withClient { client in
            try await client.withConnection { connection in
                try connection.execute("CREATE TABLE staff (id bigint PRIMARY KEY, boss bigint)")
                try connection.execute("CREATE TABLE sales (seller bigint, sold_on date, kind text, big bigint)")
                try connection.execute("INSERT INTO staff VALUES (1, NULL), (2, 1), (3, 2)")
                try connection.execute(
                    """
                    INSERT INTO sales VALUES (2, '2024-06-01', 'a', 5), (3, '2024-06-02', NULL, 7),
                        (3, '2024-07-09', 'b', 1)
                    """)
            }
            let model = DataModel(
                nodes: DataModel.Nodes(table: DataModel.TableName(name: "staff"), id: "id"),
                hierarchy: .parentColumn("boss"),
                sources: [
                    DataModel.EventSource(
                        name: "sales", table: DataModel.TableName(name: "sales"), node: "seller", time: "sold_on",
                        dimensions: ["kind"], measures: [DataModel.Measure(name: "big", column: "big")])
                ])
            let resolved = try #require(
                try await client.withConnection { try ModelCatalog.check(model, on: $0) }.resolved)
            let (snapshots, refresher) = try await Self.installed(resolved, client: client)
            try await refresher.refresh(forceFullLoad: true)
            let before = try #require(snapshots.current).index.facts()

            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO sales VALUES (2, '2024-06-01', 'a', 9223372036854775807), (2, '2024-06-01', 'a', 1)")
            }
            await #expect(throws: (any Error).self) { try await refresher.refresh(forceFullLoad: true) }
            #expect(try #require(snapshots.current).index.facts() == before, "the old index stays")

            try await client.withConnection { connection in
                try connection.execute("DELETE FROM sales WHERE big = 9223372036854775807")
            }
            let unusable = try await client.withReadOnlySnapshot { connection in
                try connection.query("SELECT count(*) FROM arbor.pack_sales WHERE entries IS NULL").first!.decode(
                    Int64.self, at: 0)
            }
            #expect(unusable == 1, "the pack stays NULL")
            guard case .fullLoad = try await refresher.refresh(forceFullLoad: true) else {
                Issue.record("a forced refresh is a full load")
                return
            }
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(resolved, events: .rollups, on: $0) }
            let full = try ModelIndex(model: resolved, rows: rows)
            let loaded = try #require(snapshots.current).index
            #expect(loaded.facts() == full.facts())
            #expect(loaded.facts().sources.first?.events == 4)
            let query = try EventStatsQuery(
                model: resolved, root: "1", source: "sales", groupBy: ["day", "kind"], measures: ["count", "big"])
            #expect(try loaded.stats(query) == full.stats(query))
        }
    }

    /// A changed closed value set, or a truncated table, makes the refresh load everything, and the result answers
    /// like a full load.
    @Test func closedValuesAndResetsLoadEverything() async throws {
        let data = RandomModelData(seed: 4242)
        try await TestDatabase.withClient { client in
            let model = try await data.install(into: client)
            let (snapshots, refresher) = try await Self.installed(model, client: client)
            try await refresher.refresh(forceFullLoad: true)
            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO \(ModelSQL.qualified(RandomModelData.deptTable)) VALUES ($1)", [.text("Ghost")])
            }
            let hasClosed = model.attributes.contains { $0.closed }
            let outcome = try await refresher.refresh()
            if hasClosed {
                guard case .fullLoad = outcome else {
                    Issue.record("a changed closed set loads everything: \(outcome)")
                    return
                }
            }
            try await client.withConnection { connection in
                try connection.execute("TRUNCATE \(ModelSQL.qualified(RandomModelGraph.edgeTable))")
            }
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(model, events: .rollups, on: $0) }
            if case .edges = model.model.hierarchy {
                guard case .fullLoad = try await refresher.refresh() else {
                    Issue.record("a truncated edge table loads everything")
                    return
                }
            } else {
                try await refresher.refresh()
            }
            let full = try ModelIndex(model: model, rows: rows)
            try compare(try #require(snapshots.current).index, with: full, model: model, data: data, seed: 1)
        }
    }

    private func compare(
        _ index: ModelIndex, with full: ModelIndex, model: ResolvedModel, data: RandomModelData, seed: UInt64
    ) throws {
        #expect(index.facts() == full.facts(), "seed \(seed): facts")
        for limit: UInt32 in [0, 1, 2] {
            #expect(index.cycles(limit: limit) == full.cycles(limit: limit), "seed \(seed): cycles")
        }
        for id in data.graph.ids { #expect(index.contains(id) == full.contains(id), "seed \(seed): \(id)") }
        var requests = RandomRequests(model: model, data: data, seed: seed)
        func agree<Value: Equatable>(
            _ what: String, _ a: () throws(QueryError) -> Value, _ b: () throws(QueryError) -> Value
        ) {
            #expect(
                Result { () throws(QueryError) in try a() } == Result { () throws(QueryError) in try b() },
                "seed \(seed): \(what)")
        }
        for _ in 0..<16 {
            guard let query = requests.traversal() else { continue }
            agree("\(query)", { () throws(QueryError) in try index.traverse(query) }) { () throws(QueryError) in
                try full.traverse(query)
            }
        }
        for _ in 0..<16 {
            guard let query = requests.stats() else { continue }
            agree("\(query)", { () throws(QueryError) in try index.stats(query) }) { () throws(QueryError) in
                try full.stats(query)
            }
        }
        for root in data.graph.ids {
            for source in model.sources {
                let query = try EventStatsQuery(
                    model: model, root: root.canonical, source: source.name, groupBy: ["day"])
                agree("\(query)", { () throws(QueryError) in try index.stats(query) }) { () throws(QueryError) in
                    try full.stats(query)
                }
            }
        }
        for _ in 0..<16 {
            guard let query = requests.ranking() else { continue }
            agree("\(query)", { () throws(QueryError) in try index.rank(query) }) { () throws(QueryError) in
                try full.rank(query)
            }
        }
        for _ in 0..<10 {
            guard let query = requests.find() else { continue }
            agree("\(query)", { () throws(QueryError) in try index.find(query) }) { () throws(QueryError) in
                try full.find(query)
            }
        }
    }
}

/// Random writes to the tables of a ``RandomModelData``, as an application would make them. A class, so that the
/// transactions' closures share it; one test uses it at a time.
final class RandomWrites: @unchecked Sendable {
    let data: RandomModelData
    let model: ResolvedModel
    var random: RandomModelGraph.Random
    /// Ids that are nodes now, as far as these writes know, and ids that were used at some point.
    var ids: [NodeID]
    var ghosts: [NodeID]
    var nextAbove: Int64

    init(data: RandomModelData, model: ResolvedModel, seed: UInt64) {
        self.data = data
        self.model = model
        self.random = RandomModelGraph.Random(seed: seed &* 104_729)
        self.ids = data.graph.ids
        let known = Set(data.graph.ids)
        self.ghosts =
            Array(Set(data.graph.edges.flatMap { [$0.parent, $0.child] }).subtracting(known))
            + data.sales.compactMap(\.seller).filter { !known.contains($0) }
        var top: Int64 = 0
        for id in data.graph.ids { if case .integer(let value) = id { top = max(top, value) } }
        self.nextAbove = top + 1
    }

    var sqlType: String { data.graph.idSQLType }
    var nodes: String { ModelSQL.qualified(RandomModelGraph.nodesTable) }
    var edges: String { ModelSQL.qualified(RandomModelGraph.edgeTable) }
    var sales: String { ModelSQL.qualified(RandomModelData.salesTable) }
    let q = ModelSQL.quoted

    func pick<T>(_ values: [T]) -> T { values[random.below(values.count)] }

    func time(_ type: String) -> String {
        let day = 20 + random.below(20)
        let (month, dayOfMonth) = day > 31 ? (4, day - 31) : (3, day)
        let date = "2024-0\(month)-\(dayOfMonth < 10 ? "0" : "")\(dayOfMonth)"
        let hour = pick(["00", "01", "12", "23"])
        switch type {
        case "date": return date
        case "timestamp": return "\(date) \(hour):30:00"
        default: return "\(date) \(hour):30:00+00"
        }
    }

    /// A new id: above every id (the common case of a growing table), in the middle, or one that edges and events
    /// already name.
    func newID() -> NodeID {
        if !ghosts.isEmpty, random.below(4) == 0 { return ghosts.removeFirst() }
        if case .integer(let width) = data.graph.idType, random.below(2) == 0 {
            let top: Int64 = width == .int16 ? Int64(Int16.max) : Int64(Int32.max)
            if nextAbove <= top {
                defer { nextAbove += 1 + Int64(random.below(3)) }
                return .integer(nextAbove)
            }
        }
        let known = Set(ids)
        while true {
            let candidate: NodeID
            switch data.graph.idType {
            case .uuid: candidate = .uuid(UserID(high: random.next(), low: random.next()))
            case .integer(let width):
                let span = UInt64(width == .int16 ? 60_000 : 4_000_000_000)
                candidate = .integer(Int64(random.next() % span) - Int64(span / 2))
            case .text:
                candidate = .text("n\(random.below(100_000))")
            }
            if !known.contains(candidate) { return candidate }
        }
    }

    /// One transaction's worth of random writes.
    func write(on connection: PostgresConnection) throws {
        for _ in 0..<(1 + random.below(5)) {
            switch random.below(10) {
            case 0, 1: try insertNode(on: connection)
            case 2: try updateNode(on: connection)
            case 3: try deleteNode(on: connection)
            case 4: try changeEdge(on: connection)
            default: try changeSales(on: connection)
            }
        }
    }

    func insertNode(on connection: PostgresConnection) throws {
        let id = newID()
        let parent = ids.isEmpty || random.below(5) == 0 ? nil : pick(ids)
        try connection.execute(
            """
            INSERT INTO \(nodes) (\(q("Emp No")), \(q("Boss")), \(q("Full Name")), \(q("Dept")), \(q("Remote")),
                \(q("Level")), kind, \(q("Joined")))
            VALUES ($1::\(sqlType), $2::\(sqlType), $3, $4, $5::boolean, $6::smallint, $7, $8::timestamptz)
            ON CONFLICT DO NOTHING
            """,
            [
                .text(id.canonical), .text(parent?.canonical), .text(pick(["Ravi", "raj", "", "Zoë new"])),
                .text(pick(["Sales", "ops", "Ghost", "New dept"])), .text(pick(["true", "false"])),
                .text(pick(["2", "10", "77"])), .text(pick(["a", "fresh", ""])), .text(time("timestamptz")),
            ])
        ids.append(id)
        if case .edges = model.model.hierarchy, let parent {
            try connection.execute(
                "INSERT INTO \(edges) VALUES ($1::\(sqlType), $2::\(sqlType))",
                [.text(parent.canonical), .text(id.canonical)])
            if random.below(3) == 0, let child = ids.first(where: { $0 != id }) {
                try connection.execute(
                    "INSERT INTO \(edges) VALUES ($1::\(sqlType), $2::\(sqlType))",
                    [.text(id.canonical), .text(child.canonical)])
            }
        }
        if data.hasSales, random.below(2) == 0 {
            try connection.execute(
                "INSERT INTO \(sales) (\(q("Seller")), \(q("At")), product, \(q("Units")), \(q("Amount"))) "
                    + "VALUES ($1::\(sqlType), $2::\(data.salesTime), $3, 3, 12.50)",
                [.text(id.canonical), .text(time(data.salesTime)), .text(pick(["a", "new product"]))])
        }
    }

    func updateNode(on connection: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        let id = pick(ids)
        switch random.below(4) {
        case 0:
            try connection.execute(
                "UPDATE \(nodes) SET \(q("Full Name")) = $2, \(q("Dept")) = $3 WHERE \(q("Emp No")) = $1::\(sqlType)",
                [.text(id.canonical), .text(pick(["Anna", "renamed", nil])), .text(pick(["R&D", "Legal", "Other"]))])
        case 1:
            try connection.execute(
                "UPDATE \(nodes) SET kind = $2, \(q("Joined")) = $3::timestamptz WHERE \(q("Emp No")) = $1::\(sqlType)",
                [
                    .text(id.canonical), .text(pick(["B", "10", "zz"])),
                    .text(random.below(4) == 0 ? nil : time("timestamptz")),
                ])
        case 2:
            try connection.execute(
                "UPDATE \(nodes) SET \(q("Boss")) = $2::\(sqlType) WHERE \(q("Emp No")) = $1::\(sqlType)",
                [.text(id.canonical), .text(random.below(4) == 0 ? nil : pick(ids).canonical)])
        default:
            try connection.execute(
                "UPDATE \(nodes) SET \(q("Level")) = $2::smallint, \(q("Remote")) = NOT coalesce(\(q("Remote")), false) "
                    + "WHERE \(q("Emp No")) = $1::\(sqlType)",
                [.text(id.canonical), .text(pick(["-1", "9", nil]))])
        }
    }

    func deleteNode(on connection: PostgresConnection) throws {
        guard ids.count > 3 else { return }
        let id = ids.remove(at: random.below(ids.count))
        try connection.execute("DELETE FROM \(nodes) WHERE \(q("Emp No")) = $1::\(sqlType)", [.text(id.canonical)])
        ghosts.append(id)
    }

    func changeEdge(on connection: PostgresConnection) throws {
        guard case .edges = model.model.hierarchy, !ids.isEmpty else { return }
        switch random.below(3) {
        case 0:
            let (parent, child) = (pick(ids + ghosts), pick(ids))
            try connection.execute(
                "INSERT INTO \(edges) VALUES ($1::\(sqlType), $2::\(sqlType))",
                [.text(parent.canonical), .text(child.canonical)])
        case 1:
            // One stored row of a pair (a duplicated pair keeps the other).
            try connection.execute(
                "DELETE FROM \(edges) WHERE ctid = (SELECT ctid FROM \(edges) ORDER BY ctid LIMIT 1 OFFSET $1)",
                [.int64(Int64(random.below(40)))])
        default:
            try connection.execute(
                "INSERT INTO \(edges) SELECT * FROM \(edges) ORDER BY ctid LIMIT 1 OFFSET $1",
                [.int64(Int64(random.below(40)))])
        }
    }

    func changeSales(on connection: PostgresConnection) throws {
        guard data.hasSales, !ids.isEmpty else { return }
        switch random.below(3) {
        case 0:
            let seller = random.below(8) == 0 && !ghosts.isEmpty ? pick(ghosts) : pick(ids)
            try connection.execute(
                "INSERT INTO \(sales) (\(q("Seller")), \(q("At")), product, qty, \(q("Units")), \(q("Amount"))) "
                    + "VALUES ($1::\(sqlType), $2::\(data.salesTime), $3, $4, $5, $6::numeric)",
                [
                    .text(seller.canonical), .text(time(data.salesTime)), .text(pick(["a", "b", "Widget", "kiosk"])),
                    .int32(Int32(pick([-1, 2, 10]))), .int32(Int32(random.below(9))),
                    .text(pick(["1.25", "-3.50", "100.01"])),
                ])
        case 1:
            try connection.execute(
                "UPDATE \(sales) SET \(q("Units")) = coalesce(\(q("Units")), 0) + 1, \(q("Amount")) = 7.77 "
                    + "WHERE ctid IN (SELECT ctid FROM \(sales) ORDER BY ctid LIMIT 2 OFFSET $1)",
                [.int64(Int64(random.below(100)))])
        default:
            try connection.execute(
                "DELETE FROM \(sales) WHERE ctid IN (SELECT ctid FROM \(sales) ORDER BY ctid LIMIT 2 OFFSET $1)",
                [.int64(Int64(random.below(100)))])
        }
    }
}
