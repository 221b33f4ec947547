import ArborModel

/// Random models and rows for the ModelIndex tests: ids of every type, forests with extra edges, cycles,
/// self-edges, duplicates and edges to ids that are no node; attributes of every value type with NULL and `""`;
/// labels that differ in case; two event sources with repeated keys, rows of ids that are no node, negative sums
/// and days across weeks, months and a year's end.
struct ModelIndexRandomData {
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
        mutating func subset<T>(_ values: [T], atMost: Int) -> [T] {
            var chosen: [T] = []
            for value in values where chosen.count < atMost && chance(40) { chosen.append(value) }
            return chosen
        }
    }

    static let teams: [String?] = ["red", "Blue", "", "grün", nil]
    static let levels: [String?] = ["-3", "2", "10", "0", nil]
    static let flags: [String?] = ["true", "false", nil]
    static let labels: [String?] = ["Alpha", "alpha beta", "ALPHA", "beta", "Béta", "", nil, "al", "Al-2"]
    static let channels: [String?] = ["web", "app", "", nil]
    static let firstDay = Day(year: 2023, month: 12, day: 20)!

    static func model(idType: NodeIDType, secondSource: Bool = true) -> ResolvedModel {
        let attributes = [
            ResolvedModel.Attribute(name: "team", column: "team", type: .text, closed: true),
            ResolvedModel.Attribute(name: "level", column: "level", type: .integer(.int32), closed: false),
            ResolvedModel.Attribute(name: "active", column: "active", type: .boolean, closed: false),
        ]
        var sources = [
            ResolvedModel.Source(
                name: "visits",
                dimensions: [
                    ResolvedModel.Dimension(name: "channel", type: .text),
                    ResolvedModel.Dimension(name: "paid", type: .boolean),
                ],
                measures: [
                    ResolvedModel.Measure(name: "count", column: nil, scale: 0),
                    ResolvedModel.Measure(name: "amount", column: "amount", scale: 0),
                    ResolvedModel.Measure(name: "cents", column: "cents", scale: 2),
                ])
        ]
        if secondSource {
            sources.append(
                ResolvedModel.Source(
                    name: "calls", time: .date, dimensions: [],
                    measures: [ResolvedModel.Measure(name: "count", column: nil, scale: 0)]))
        }
        let data = DataModel(
            nodes: DataModel.Nodes(
                table: DataModel.TableName(name: "nodes"), id: "id", label: "name",
                attributes: attributes.map {
                    DataModel.Attribute(
                        name: $0.name, column: $0.column,
                        valuesFrom: $0.closed ? DataModel.ColumnReference(parsing: "public.teams.name") : nil)
                }),
            hierarchy: .edges(table: DataModel.TableName(name: "edges"), parent: "parent", child: "child"),
            sources: sources.map { source in
                DataModel.EventSource(
                    name: source.name, table: DataModel.TableName(name: source.name), node: "node", time: "at",
                    dimensions: source.dimensions.map(\.name),
                    measures: source.measures.dropFirst().map { DataModel.Measure(name: $0.name, column: $0.name) })
            })
        return ResolvedModel(model: data, idType: idType, attributes: attributes, sources: sources)
    }

    static func ids(_ type: NodeIDType, count: Int, random: inout Random) -> [NodeID] {
        var ids: [NodeID] = []
        var seen = Set<NodeID>()
        let alphabet = Array("aAbBzZ09 _-éß✓")
        while ids.count < count {
            let id: NodeID
            switch type {
            case .uuid: id = .uuid(UserID(high: random.next(), low: random.next()))
            case .integer(let width):
                let span = UInt64(width == .int16 ? 60_000 : 4_000_000_000)
                id = .integer(Int64(random.next() % span) - Int64(span / 2))
            case .text:
                id = .text(String((0..<(1 + random.below(4))).map { _ in alphabet[random.below(alphabet.count)] }))
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    let model: ResolvedModel
    let rows: ModelRows
    let ids: [NodeID]
    let ghosts: [NodeID]

    init(idType: NodeIDType, seed: UInt64, nodes nodeCount: Int? = nil) {
        var random = Random(seed: seed)
        let count = nodeCount ?? (1 + random.below(40))
        let all = Self.ids(idType, count: count + 3, random: &random)
        let ids = Array(all.prefix(count))
        let ghosts = Array(all.suffix(3))
        let secondSource = random.chance(70)
        let model = Self.model(idType: idType, secondSource: secondSource)

        var nodes: [ModelRows.Node] = ids.map { id in
            ModelRows.Node(
                id: id, label: random.pick(Self.labels),
                attributes: [random.pick(Self.teams), random.pick(Self.levels), random.pick(Self.flags)])
        }
        if random.chance(30), let first = nodes.first {
            // A node listed twice keeps its first row.
            nodes.append(ModelRows.Node(id: first.id, label: "duplicate", attributes: ["dup", "99", "true"]))
        }
        if random.chance(50) { nodes.shuffle(using: &random) }

        var edges: [(parent: NodeID, child: NodeID)] = []
        var order = ids
        order.shuffle(using: &random)
        for (position, child) in order.enumerated() where position > 0 && !random.chance(12) {
            edges.append((order[random.below(position)], child))
        }
        for _ in 0..<(count / 3) { edges.append((random.pick(ids), random.pick(ids))) }
        if random.chance(50) { edges.append((ids[0], ids[0])) }
        if count > 3, random.chance(60) {
            edges.append((order[count - 1], order[1]))  // very likely closes a loop
        }
        edges.append((ghosts[0], random.pick(ids)))
        edges.append((random.pick(ids), ghosts[1]))
        if let edge = edges.first { edges.append(edge) }
        edges.shuffle(using: &random)

        var visits = EventRollupRows(nodes: [], days: [], dimensions: [[], []], measures: [[], [], []])
        for _ in 0..<random.below(count * 6 + 1) {
            visits.nodes.append(random.chance(8) ? random.pick(ghosts) : random.pick(ids))
            visits.days.append(Self.firstDay.advanced(by: Int32(random.below(75))))
            visits.dimensions[0].append(random.pick(Self.channels))
            visits.dimensions[1].append(random.pick(Self.flags))
            visits.measures[0].append(Int64(1 + random.below(3)))
            visits.measures[1].append(Int64(random.below(150)) - 50)
            visits.measures[2].append(Int64(random.below(1000)))
        }
        var events = [visits]
        if secondSource, random.chance(80) {
            var calls = EventRollupRows(nodes: [], days: [], dimensions: [], measures: [[]])
            for _ in 0..<random.below(count * 2 + 1) {
                calls.nodes.append(random.pick(ids))
                calls.days.append(Self.firstDay.advanced(by: Int32(random.below(400))))
                calls.measures[0].append(Int64(1 + random.below(2)))
            }
            events.append(calls)
        }
        self.model = model
        self.rows = ModelRows(
            nodes: nodes, edges: edges, events: events, closedValues: ["team": ["red", "Blue", "", "grün", "gold"]])
        self.ids = ids
        self.ghosts = ghosts
    }
}

extension ModelIndexRandomData.Random: RandomNumberGenerator {}
