import ArborModel
import ArborModelFile
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// A rollup as a dictionary: key → measures (`count`, then the sums), exact (sums may pass 64 bits).
typealias ModelRollup = [ModelInstallKey: [Int128]]

/// One rollup key, compared as text: the node's canonical id, the day, the dimensions as text (`nil` for NULL).
struct ModelInstallKey: Hashable, Sendable, CustomStringConvertible {
    var node: String
    var day: Day
    var dimensions: [String?]

    var description: String { "\(node)/\(day)/\(dimensions.map { $0 ?? "NULL" }.joined(separator: ","))" }
}

/// Helpers for the ModelInstall tests: resolve a model file against a test database, read a rollup, and compute
/// the rollup a source should have from its raw rows — in Swift, independently of the generated SQL (days through
/// Foundation's calendar in the model's zone, numeric sums from their exact decimal text).
enum ModelInstallSupport {
    static func execute(_ client: PostgresClient, _ script: String) async throws {
        try await client.withConnection { connection in
            for statement in script.components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                try connection.execute(statement)
            }
        }
    }

    static func resolve(_ yaml: String, on client: PostgresClient) async throws -> ResolvedModel {
        let loaded = try ModelFile.parse(yaml)
        let report = try await client.withConnection { connection in
            try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
        }
        #expect(report.problems == [])
        return try #require(report.resolved)
    }

    static func install(_ model: ResolvedModel, on client: PostgresClient) async throws -> ModelInstallReport {
        try await client.withConnection { connection in try ModelInstaller.install(model, on: connection) }
    }

    /// What the rollup table holds.
    static func readRollup(_ source: ResolvedModel.Source, on connection: PostgresConnection) throws -> ModelRollup {
        let rollup = SourceRollup(source)
        let q = ModelSQL.quoted
        let columns =
            ["\(q(SourceRollup.nodeColumn))::text", q(SourceRollup.dayColumn)]
            + rollup.dimensionColumns.map { "\(q($0))::text" } + rollup.measureColumns.map { "\(q($0))::text" }
        var result: ModelRollup = [:]
        for row in try connection.query("SELECT \(columns.joined(separator: ", ")) FROM \(rollup.qualifiedTable)") {
            let dimensions = try (0..<rollup.dimensionColumns.count).map { try row.decode(String?.self, at: 2 + $0) }
            let key = ModelInstallKey(
                node: try row.decode(String.self, at: 0), day: try row.decode(Day.self, at: 1), dimensions: dimensions)
            let measures = try (0..<rollup.measureColumns.count).map {
                Int128(try row.decode(String.self, at: 2 + rollup.dimensionColumns.count + $0))!
            }
            #expect(result[key] == nil, "duplicate rollup key \(key)")
            #expect(measures[0] > 0, "rollup row \(key) with count \(measures[0])")
            result[key] = measures
        }
        return result
    }

    /// What the packs of `source` hold (``SourcePack``), decoded here from the documented byte format, as a rollup;
    /// and the (node, month) of every pack whose entries are NULL (they say nothing).
    static func readPacks(
        _ source: ResolvedModel.Source, on connection: PostgresConnection
    ) throws -> (rollup: ModelRollup, unusable: Set<String>) {
        let pack = SourcePack(source)
        let q = ModelSQL.quoted
        var combinations: [Int32: [String?]] = [:]
        if pack.hasCombinations {
            let dimensions = SourceRollup(source).dimensionColumns.map { "\(q($0))::text" }
            for row in try connection.query(
                "SELECT code, \(dimensions.joined(separator: ", ")) FROM \(pack.qualifiedCombinationsTable)")
            {
                combinations[try row.decode(Int32.self, at: 0)] = try (1...dimensions.count).map {
                    try row.decode(String?.self, at: $0)
                }
            }
        }
        var result: ModelRollup = [:]
        var unusable = Set<String>()
        let width = pack.layout.width
        for row in try connection.query("SELECT node::text, month, entries FROM \(pack.qualifiedTable)") {
            let node = try row.decode(String.self, at: 0)
            let month = try row.decode(Day.self, at: 1)
            #expect(month.components.day == 1, "pack month \(month) is not a first day")
            guard let bytes = row[2].bytes.map(Array.init) else {
                unusable.insert("\(node)/\(month)")
                continue
            }
            #expect(bytes.count % width == 0, "pack \(node)/\(month) has \(bytes.count) bytes")
            var previous: [UInt8]? = nil
            for start in stride(from: 0, to: bytes.count - bytes.count % width, by: width) {
                let entry = Array(bytes[start..<(start + width)])
                let key = Array(entry.prefix(pack.layout.keyLength))
                if let previous { #expect(previous.lexicographicallyPrecedes(key), "pack \(node)/\(month) order") }
                previous = key
                func integer(_ offset: Int, _ length: Int, signed: Bool = true) -> Int64 {
                    var value: Int64 = signed && entry[offset] >= 0x80 ? -1 : 0
                    for byte in entry[offset..<(offset + length)] { value = value << 8 | Int64(byte) }
                    return value
                }
                let day = month.advanced(by: Int32(entry[0]))
                let dimensions = pack.hasCombinations ? combinations[Int32(integer(1, 3, signed: false))] : []
                #expect(dimensions != nil, "pack \(node)/\(month): unknown combination")
                let count = Int128(integer(pack.layout.keyLength, 4))
                let measures =
                    [count]
                    + (1..<pack.measureCount).map { Int128(integer(pack.layout.keyLength + 4 + 8 * ($0 - 1), 8)) }
                let rollupKey = ModelInstallKey(node: node, day: day, dimensions: dimensions ?? [])
                #expect(result[rollupKey] == nil, "duplicate pack entry \(rollupKey)")
                #expect(measures[0] > 0, "pack entry \(rollupKey) with count \(measures[0])")
                result[rollupKey] = measures
            }
        }
        return (result, unusable)
    }

    /// Checks that the packs of every source hold exactly the rollup, apart from packs that say nothing (each of
    /// which must then hold a rollup value past 64 bits, or `allowUnusable`).
    static func expectPacksMatchRollups(
        _ model: ResolvedModel, on connection: PostgresConnection, _ comment: Comment
    ) throws {
        for source in model.sources {
            let rollup = try readRollup(source, on: connection)
            let (packs, unusable) = try readPacks(source, on: connection)
            func packKey(_ key: ModelInstallKey) -> String {
                "\(key.node)/\(key.day.advanced(by: -Int32(key.day.components.day - 1)))"
            }
            let comparable = rollup.filter { !unusable.contains(packKey($0.key)) }
            #expect(packs == comparable, "packs of \(source.name) \(comment)")
            for month in unusable {
                let values = rollup.filter { packKey($0.key) == month }.flatMap(\.value)
                #expect(
                    values.contains { Int64(exactly: $0) == nil },
                    "pack \(month) of \(source.name) is NULL while its rollup fits in 64 bits, \(comment)")
            }
        }
    }

    /// The rollup computed from the source table's raw rows.
    static func expectedRollup(
        _ source: ResolvedModel.Source, of model: ResolvedModel, on connection: PostgresConnection
    ) throws -> ModelRollup {
        let declaration = model.declaration(of: source)
        let q = ModelSQL.quoted
        let sums = source.measures.filter { $0.column != nil }
        let columns =
            ["\(q(declaration.node))::text", q(declaration.time)] + source.dimensions.map { "\(q($0.name))::text" }
            + sums.map { "\(q($0.column!))::text" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone =
            source.time == .timestamptz ? TimeZone(identifier: model.model.timeZone)! : TimeZone(identifier: "UTC")!
        var result: ModelRollup = [:]
        for row in try connection.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(ModelSQL.qualified(declaration.table))")
        {
            guard let node = try row.decode(String?.self, at: 0), isNodeID(node, model.idType) else { continue }
            let day: Day?
            switch source.time {
            case .date: day = try row.decode(Day?.self, at: 1)
            case .timestamp, .timestamptz:
                day = try row.decode(Date?.self, at: 1).map { date in
                    let parts = calendar.dateComponents([.year, .month, .day], from: date)
                    return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
                }
            }
            guard let day else { continue }
            let dimensions = try (0..<source.dimensions.count).map { try row.decode(String?.self, at: 2 + $0) }
            let key = ModelInstallKey(node: node, day: day, dimensions: dimensions)
            var measures = result[key] ?? Array(repeating: 0, count: 1 + sums.count)
            measures[0] += 1
            for (index, measure) in sums.enumerated() {
                if let text = try row.decode(String?.self, at: 2 + source.dimensions.count + index) {
                    measures[1 + index] += scaled(text, by: measure.scale)
                }
            }
            result[key] = measures
        }
        return result
    }

    /// Whether an event's node value can name a node of the id type (an integer within its width).
    static func isNodeID(_ text: String, _ type: NodeIDType) -> Bool {
        guard case .integer(let width) = type else { return true }
        guard let value = Int64(text) else { return false }
        return width.range.contains(value)
    }

    /// Decimal text × 10^scale, rounded half away from zero.
    static func scaled(_ text: String, by scale: Int) -> Int128 {
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let padded = fraction + String(repeating: "0", count: max(0, scale + 1 - fraction.count))
        var value = Int128(whole + padded.prefix(scale))!
        if let next = padded.dropFirst(scale).first, next >= "5" { value += 1 }
        return negative ? -value : value
    }

    /// Reads the rollup, the snapshot and (from `since`) the change log in one REPEATABLE READ transaction.
    static func observe(
        _ source: ResolvedModel.Source, of model: ResolvedModel, since: PostgresSnapshot?, on client: PostgresClient
    ) async throws -> (snapshot: PostgresSnapshot, rollup: ModelRollup, changes: [ModelChange]) {
        try await client.withReadOnlySnapshot { connection in
            let snapshot = try connection.currentSnapshot()
            let rollup = try readRollup(source, on: connection)
            let changes = try since.map { try connection.modelChanges(since: $0, until: snapshot, model: model) } ?? []
            return (snapshot, rollup, changes)
        }
    }

    /// `rollup` with the event changes of `source` applied; `nil` when a change asks for a reload.
    static func apply(_ changes: [ModelChange], of source: String, to rollup: ModelRollup) -> ModelRollup? {
        var result = rollup
        for change in changes {
            switch change.kind {
            case .reset: return nil
            case .event(let name, let key, let deltas) where name == source:
                let key = ModelInstallKey(node: key.node.canonical, day: key.day, dimensions: key.dimensions)
                let updated = zip(result[key] ?? deltas.map { _ in 0 }, deltas).map { $0 + Int128($1) }
                result[key] = updated[0] == 0 ? nil : updated
            default: continue
            }
        }
        return result
    }

    /// The names, types and indexes of a table's columns, and its constraints: what must not change.
    static func shape(of table: DataModel.TableName, on connection: PostgresConnection) throws -> [String] {
        let oid = "\(ModelSQL.qualified(table))"
        let columns = try connection.query(
            """
            SELECT attname::text || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull::text
            FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, [.text(oid)]
        ).map { try $0.decode(String.self, at: 0) }
        let indexes = try connection.query(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1", [.text(oid)]
        ).map { try $0.decode(String.self, at: 0) }
        let constraints = try connection.query(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY 1",
            [.text(oid)]
        ).map { try $0.decode(String.self, at: 0) }
        return columns + indexes + constraints
    }

    /// The triggers on a table, by name.
    static func triggers(on table: DataModel.TableName, on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            "SELECT tgname::text FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname::text COLLATE \"C\"",
            [.text(ModelSQL.qualified(table))]
        ).map { try $0.decode(String.self, at: 0) }
    }
}
