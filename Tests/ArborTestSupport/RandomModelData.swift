import ArborModel
import ArborStore

/// A random organisation under a randomly generated model, for the differential tests of the v2 paths: a
/// ``RandomModelGraph`` hierarchy plus a label, text/boolean/integer attributes (one closed, with NULLs and empty
/// strings), and zero to two event sources (one of them the nodes table itself) with dimensions, integer and scaled
/// numeric sums, NULL nodes, NULL times and ids that are no node, in a time zone picked from several with DST.
/// Every table and column name that the model does not need to be simple needs quoting.
public struct RandomModelData: Sendable {
    public var graph: RandomModelGraph
    public var timeZone: String
    public var hasLabel: Bool
    /// Which of the optional attributes the model maps: dept (closed text), remote, level, category.
    public var attributes: [String]
    /// The time column type of the sales table: `timestamptz`, `timestamp` or `date`.
    public var salesTime: String
    public var hasSales: Bool
    public var hasJoins: Bool
    /// Whether the joins source (the nodes table) is listed before sales.
    public var joinsFirst: Bool
    public var salesDimensions: [String]
    public var salesMeasures: [String]
    /// The scale the `amount` sum uses (its column is numeric(14,2)).
    public var amountScale: Int

    public var nodeRows: [NodeRow]
    public var sales: [Sale]

    public struct NodeRow: Sendable {
        public var id: NodeID
        public var name: String?
        public var dept: String?
        public var remote: Bool?
        public var level: Int16?
        public var kind: String?
        public var joined: String?
    }

    public struct Sale: Sendable {
        public var seller: NodeID?
        public var at: String?
        public var product: String?
        public var qty: Int32?
        public var units: Int32?
        public var amount: String?
    }

    public static let timeZones = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"]
    public static let depts = ["Sales", "R&D", "", "ops", "Legal"]
    static let labels = ["Raj", "raj", "Rajesh", "Ann", "anne", "ANNA", "", "Ñu", "ñu", "b", "Zoë", "R"]
    static let products = ["a", "b", "", "Widget", "é"]
    static let kinds = ["a", "B", "é", "", "10", "9"]

    public init(seed: UInt64, nodes: Int = 40, events: Int = 160) {
        var random = RandomModelGraph.Random(seed: seed)
        let idTypes: [NodeIDType] = [.uuid, .integer(.int64), .integer(.int16), .text]
        let idType = idTypes[random.below(idTypes.count)]
        graph = RandomModelGraph(idType: idType, parentColumn: random.below(2) == 0, nodes: nodes, random: &random)
        timeZone = Self.timeZones[random.below(Self.timeZones.count)]
        hasLabel = random.below(4) != 0
        attributes = ["dept", "remote", "level", "category"].filter { _ in random.below(3) != 0 }
        if random.below(2) == 0 { attributes.reverse() }
        salesTime = ["timestamptz", "timestamp", "date"][random.below(3)]
        let sourceShape = random.below(6)  // none, sales, joins, both (twice as likely)
        hasSales = sourceShape == 1 || sourceShape >= 3
        hasJoins = sourceShape == 2 || sourceShape >= 3
        joinsFirst = random.below(2) == 0
        salesDimensions = ["product", "qty"].filter { _ in random.below(3) != 0 }
        salesMeasures = ["units", "amount"].filter { _ in random.below(3) != 0 }
        amountScale = [0, 1, 2, 3][random.below(4)]

        func pick<T>(_ values: [T], nullOneIn: Int = 6, random: inout RandomModelGraph.Random) -> T? {
            random.below(nullOneIn) == 0 ? nil : values[random.below(values.count)]
        }
        func time(_ kind: String, random: inout RandomModelGraph.Random) -> String? {
            guard random.below(12) != 0 else { return nil }
            // Ten days around the spring DST changes, often near midnight.
            let day = 24 + random.below(12)
            let (month, dayOfMonth) = day > 31 ? (4, day - 31) : (3, day)
            let hour = [0, 0, 1, 2, 3, 4, 12, 18, 22, 23, 23][random.below(11)]
            let minute = [0, 15, 30, 45, 59][random.below(5)]
            let date = "2024-\(Self.two(month))-\(Self.two(dayOfMonth))"
            switch kind {
            case "date": return date
            case "timestamp": return "\(date) \(Self.two(hour)):\(Self.two(minute)):00"
            default: return "\(date) \(Self.two(hour)):\(Self.two(minute)):00+00"
            }
        }
        var rows: [NodeRow] = []
        for id in graph.ids {
            rows.append(
                NodeRow(
                    id: id, name: pick(Self.labels, nullOneIn: 8, random: &random),
                    dept: pick(Self.depts.dropLast() + ["Ghost"], random: &random),
                    remote: pick([true, false], random: &random),
                    level: pick([-1, 0, 2, 9, 10, 32767], random: &random),
                    kind: pick(Self.kinds, random: &random), joined: time("timestamptz", random: &random)))
        }
        nodeRows = rows
        var sales: [Sale] = []
        let known = Set(graph.ids)
        let ghost = RandomModelGraph.makeIDs(idType, count: nodes + 3, random: &random).first { !known.contains($0) }
        for _ in 0..<(hasSales ? events : 0) {
            let seller: NodeID? =
                switch random.below(20) {
                case 0: nil
                case 1: ghost
                default: rows[random.below(rows.count)].id
                }
            let amount: String? =
                random.below(8) == 0
                ? nil : "\(random.below(2) == 0 ? "-" : "")\(random.below(500)).\(Self.two(random.below(100)))"
            sales.append(
                Sale(
                    seller: seller, at: time(salesTime, random: &random),
                    product: pick(Self.products, random: &random), qty: pick([-1, 0, 2, 10], random: &random),
                    units: pick([-5, 0, 1, 7, 50], nullOneIn: 8, random: &random), amount: amount))
        }
        self.sales = sales
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static let schema = RandomModelGraph.nodesTable.schema
    public static let salesTable = DataModel.TableName(schema: schema, name: "Sales Log")
    public static let deptTable = DataModel.TableName(schema: schema, name: "Depts")

    /// The model that maps the installed tables.
    public var model: DataModel {
        var model = graph.model.model
        model.timeZone = timeZone
        model.nodes.label = hasLabel ? "Full Name" : nil
        model.nodes.attributes = attributes.map { name in
            switch name {
            case "dept":
                DataModel.Attribute(
                    name: "dept", column: "Dept",
                    valuesFrom: DataModel.ColumnReference(table: Self.deptTable, column: "Name"))
            case "remote": DataModel.Attribute(name: "remote", column: "Remote")
            case "level": DataModel.Attribute(name: "level", column: "Level")
            default: DataModel.Attribute(name: "category", column: "kind")
            }
        }
        var sources: [DataModel.EventSource] = []
        if hasSales {
            sources.append(
                DataModel.EventSource(
                    name: "sales", table: Self.salesTable, node: "Seller", time: "At", dimensions: salesDimensions,
                    measures: salesMeasures.map { name in
                        name == "units"
                            ? DataModel.Measure(name: "units", column: "Units")
                            : DataModel.Measure(name: "amount", column: "Amount", scale: amountScale)
                    }))
        }
        if hasJoins {
            let joins = DataModel.EventSource(
                name: "joins", table: RandomModelGraph.nodesTable, node: "Emp No", time: "Joined", dimensions: ["kind"])
            if joinsFirst { sources.insert(joins, at: 0) } else { sources.append(joins) }
        }
        model.sources = sources
        return model
    }

    /// Creates the tables in a fresh database, fills them and returns the model as the catalog resolves it.
    public func install(into client: PostgresClient) async throws -> ResolvedModel {
        try await graph.install(into: client)
        let q = ModelSQL.quoted
        let nodes = ModelSQL.qualified(RandomModelGraph.nodesTable)
        let sqlType = graph.idSQLType
        let (rows, sales, salesTime) = (nodeRows, self.sales, self.salesTime)
        let model = self.model
        return try await client.withConnection { connection in
            try connection.execute(
                """
                ALTER TABLE \(nodes) ADD COLUMN \(q("Full Name")) text, ADD COLUMN \(q("Dept")) varchar(10),
                ADD COLUMN \(q("Remote")) boolean, ADD COLUMN \(q("Level")) smallint, ADD COLUMN kind text,
                ADD COLUMN \(q("Joined")) timestamptz
                """)
            try connection.execute(
                """
                UPDATE \(nodes) n SET \(q("Full Name")) = u.name, \(q("Dept")) = u.dept, \(q("Remote")) = u.remote::boolean,
                    \(q("Level")) = u.level::smallint, kind = u.kind, \(q("Joined")) = u.joined::timestamptz
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                    AS u(id, name, dept, remote, level, kind, joined)
                WHERE n.\(q("Emp No")) = u.id::\(sqlType)
                """,
                [
                    .textArray(rows.map(\.id.canonical)), .textArray(rows.map(\.name)), .textArray(rows.map(\.dept)),
                    .textArray(rows.map { $0.remote.map { "\($0)" } }),
                    .textArray(rows.map { $0.level.map { "\($0)" } }),
                    .textArray(rows.map(\.kind)), .textArray(rows.map(\.joined)),
                ])
            try connection.execute(
                "CREATE TABLE \(ModelSQL.qualified(Self.deptTable)) (\(q("Name")) text)")
            try connection.execute(
                "INSERT INTO \(ModelSQL.qualified(Self.deptTable)) SELECT unnest($1::text[])",
                [.textArray(Self.depts + [nil])])
            try connection.execute(
                """
                CREATE TABLE \(ModelSQL.qualified(Self.salesTable)) (
                    \(q("Seller")) \(sqlType), \(q("At")) \(salesTime), product text, qty integer,
                    \(q("Units")) integer, \(q("Amount")) numeric(14,2))
                """)
            try connection.execute(
                """
                INSERT INTO \(ModelSQL.qualified(Self.salesTable))
                SELECT u.seller::\(sqlType), u.at::\(salesTime), u.product, u.qty::integer, u.units::integer,
                    u.amount::numeric
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                    AS u(seller, at, product, qty, units, amount)
                """,
                [
                    .textArray(sales.map { $0.seller?.canonical }), .textArray(sales.map(\.at)),
                    .textArray(sales.map(\.product)), .textArray(sales.map { $0.qty.map { "\($0)" } }),
                    .textArray(sales.map { $0.units.map { "\($0)" } }), .textArray(sales.map(\.amount)),
                ])
            let report = try ModelCatalog.check(model, on: connection)
            guard let resolved = report.resolved else {
                throw StoreError(
                    .protocolViolation,
                    "the random model does not resolve: \(report.problems.map(\.description).joined(separator: "; "))")
            }
            return resolved
        }
    }
}
