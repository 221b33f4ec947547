import ArborModel

/// The packs' share of a source's SQL (``SourcePack``): tables, backfill, and the pieces the capture trigger adds.
extension SourceCaptureSQL {
    private var q: (String) -> String { ModelSQL.quoted }

    /// `ROW(dim_…)::text` over the rollup-shaped relation `alias`: a tuple's text, which tells NULL (nothing) from
    /// `""` (`""`), so it can be a unique key and a B-tree lookup.
    func combinationKey(_ alias: String) -> String {
        "ROW(\(rollup.dimensionColumns.map { "\(alias).\(q($0))" }.joined(separator: ", ")))::text"
    }

    /// The first day of the month of `day`, a `date`.
    private func month(_ day: String) -> String { "\(day) - (extract(day FROM \(day))::int - 1)" }

    /// Creates the pack table (its key comes after the backfill) and, with dimensions, the combinations table.
    var createPackTables: [String] {
        var statements = [
            """
            CREATE TABLE \(pack.qualifiedTable) (
                \(q(SourcePack.nodeColumn)) \(ModelSQL(model).idSQLType) NOT NULL,
                \(q(SourcePack.monthColumn)) date NOT NULL,
                \(q(SourcePack.entriesColumn)) bytea
            )
            """,
            // Out of line but uncompressed when a pack grows large: a load would spend more in pglz than it saves.
            "ALTER TABLE \(pack.qualifiedTable) ALTER COLUMN \(q(SourcePack.entriesColumn)) SET STORAGE EXTERNAL",
        ]
        guard pack.hasCombinations else { return statements }
        var definitions = [
            "\(q(SourcePack.codeColumn)) int GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            "\(q(SourcePack.keyColumn)) text NOT NULL",
        ]
        for (dimension, column) in zip(source.dimensions, rollup.dimensionColumns) {
            definitions.append("\(q(column)) \(InstallSQL.dimensionType(dimension.type))")
        }
        definitions.append("CONSTRAINT \(q(combinationsKeyName)) UNIQUE (\(q(SourcePack.keyColumn)))")
        statements.append(
            "CREATE TABLE \(pack.qualifiedCombinationsTable) (\n    \(definitions.joined(separator: ",\n    "))\n)")
        return statements
    }

    /// `true` when every value of the rollup-shaped relation `alias` fits its field (``EventPack``): the count in
    /// 32 bits, each sum in 64.
    private func sumsFit(_ alias: String) -> String {
        let checks =
            ["\(alias).\(q(SourceRollup.countColumn)) BETWEEN -2147483648 AND 2147483647"]
            + rollup.sumColumns.map { "\(alias).\(q($0)) BETWEEN -9223372036854775808 AND 9223372036854775807" }
        return checks.joined(separator: " AND ")
    }

    /// One entry (``EventPack``) of the rollup-shaped row `alias` whose combination row is `combination`. Total: a
    /// sum past 64 bits is written as 0, and ``sumsFit(_:)`` turns the whole pack NULL.
    private func entry(_ alias: String, combination: String) -> String {
        let day = "\(alias).\(q(SourceRollup.dayColumn))"
        var parts = ["set_byte(decode('00', 'hex'), 0, extract(day FROM \(day))::int - 1)"]
        if pack.hasCombinations {
            // The code's low three bytes (codes past 2^24 make the pack NULL, in packedEntries).
            parts.append("substring(int4send(coalesce(\(combination).\(q(SourcePack.codeColumn)), 0)) FROM 2)")
        }
        let count = "\(alias).\(q(SourceRollup.countColumn))"
        parts.append("int4send(CASE WHEN \(count) BETWEEN -2147483648 AND 2147483647 THEN \(count)::int4 ELSE 0 END)")
        for column in rollup.sumColumns {
            let value = "\(alias).\(q(column))"
            parts.append(
                "int8send(CASE WHEN \(value) BETWEEN -9223372036854775808 AND 9223372036854775807 "
                    + "THEN \(value)::int8 ELSE 0 END)")
        }
        return parts.joined(separator: " || ")
    }

    /// The packed entries of a group of rollup-shaped rows `alias` (joined to combinations `combination`), in key
    /// order; NULL when a value does not fit or a combination is missing.
    private func packedEntries(_ alias: String, combination: String) -> String {
        var fits = sumsFit(alias)
        var order = "\(alias).\(q(SourceRollup.dayColumn))"
        if pack.hasCombinations {
            fits += " AND \(combination).\(q(SourcePack.codeColumn)) < 16777216"
            order += ", \(combination).\(q(SourcePack.codeColumn))"
        }
        return """
            CASE WHEN bool_and(\(fits)) THEN string_agg(\(entry(alias, combination: combination)), ''::bytea \
            ORDER BY \(order)) END
            """
    }

    /// Fills the combinations and the packs from the rollup (just filled), then adds the pack key. The rollup is
    /// joined to the combinations on NULL-safe equalities PostgreSQL can hash.
    var packBackfill: [String] {
        var statements: [String] = []
        let r = "r"
        var join = ""
        if pack.hasCombinations {
            let dimensions = rollup.dimensionColumns.map(q).joined(separator: ", ")
            statements.append(
                """
                INSERT INTO \(pack.qualifiedCombinationsTable) (\(q(SourcePack.keyColumn)), \(dimensions))
                SELECT \(combinationKey("c")), \(rollup.dimensionColumns.map { "c.\(q($0))" }.joined(separator: ", "))
                FROM (SELECT DISTINCT \(dimensions) FROM \(rollup.qualifiedTable)) c
                ORDER BY \(dimensions)
                """)
            statements.append("ANALYZE \(pack.qualifiedCombinationsTable)")
            let conditions = zip(source.dimensions, rollup.dimensionColumns).map { dimension, column in
                let zero =
                    switch dimension.type {
                    case .text: "''"
                    case .integer: "0"
                    case .boolean: "false"
                    }
                return "coalesce(c.\(q(column)), \(zero)) = coalesce(r.\(q(column)), \(zero)) "
                    + "AND (c.\(q(column)) IS NULL) = (r.\(q(column)) IS NULL)"
            }
            join = "JOIN \(pack.qualifiedCombinationsTable) c ON \(conditions.joined(separator: " AND "))"
        }
        let node = "\(r).\(q(SourceRollup.nodeColumn))"
        statements.append(
            """
            INSERT INTO \(pack.qualifiedTable) (\(q(SourcePack.nodeColumn)), \(q(SourcePack.monthColumn)), \
            \(q(SourcePack.entriesColumn)))
            SELECT \(node), \(month("\(r).\(q(SourceRollup.dayColumn))")), \(packedEntries(r, combination: "c"))
            FROM \(rollup.qualifiedTable) \(r) \(join)
            GROUP BY 1, 2
            """)
        statements.append(
            "ALTER TABLE \(pack.qualifiedTable) ADD CONSTRAINT \(q(packKeyName)) PRIMARY KEY "
                + "(\(q(SourcePack.nodeColumn)), \(q(SourcePack.monthColumn)))")
        statements.append("ANALYZE \(pack.qualifiedTable)")
        return statements
    }

    /// The trigger's first statement: numbers the combinations of the counted rows of `table` (a transition
    /// table) that have none yet. A statement of its own, so that the next one sees combinations a concurrent
    /// writer added (under READ COMMITTED; under REPEATABLE READ such a conflict is a serialization failure).
    func numberCombinations(from table: String, rows: String, present: String) -> String {
        guard pack.hasCombinations else { return "" }
        let dimensions = rollup.dimensionColumns.map(q).joined(separator: ", ")
        return """
                    INSERT INTO \(pack.qualifiedCombinationsTable) (\(q(SourcePack.keyColumn)), \(dimensions))
                    SELECT \(combinationKey("c")), \(rollup.dimensionColumns.map { "c.\(q($0))" }.joined(separator: ", "))
                    FROM (SELECT DISTINCT \(dimensions) FROM (SELECT \(rows) FROM \(table) e) e WHERE \(present)) c
                    WHERE NOT EXISTS (
                        SELECT FROM \(pack.qualifiedCombinationsTable) k
                        WHERE k.\(q(SourcePack.keyColumn)) = \(combinationKey("c")))
                    ORDER BY 1
                    ON CONFLICT (\(q(SourcePack.keyColumn))) DO NOTHING;

            """
    }

    /// The CTE that merges the `delta` CTE into the packs, one upsert per (node, month) in key order.
    var mergeIntoPacks: String {
        let d = "d"
        var join = ""
        if pack.hasCombinations {
            join =
                "LEFT JOIN \(pack.qualifiedCombinationsTable) c ON c.\(q(SourcePack.keyColumn)) = \(combinationKey(d))"
        }
        let layout = pack.layout
        let entries = q(SourcePack.entriesColumn)
        return """
            , packed AS (
                        INSERT INTO \(pack.qualifiedTable) AS p (\(q(SourcePack.nodeColumn)), \
            \(q(SourcePack.monthColumn)), \(entries))
                        SELECT \(d).\(q(SourceRollup.nodeColumn)), \(month("\(d).\(q(SourceRollup.dayColumn))")),
                            \(packedEntries(d, combination: "c"))
                        FROM delta \(d) \(join)
                        GROUP BY 1, 2
                        ORDER BY 1, 2
                        ON CONFLICT (\(q(SourcePack.nodeColumn)), \(q(SourcePack.monthColumn))) DO UPDATE
                        SET \(entries) = arbor.pack_merge(p.\(entries), excluded.\(entries), \(layout.keyLength), \
            \(layout.width))
                    )
            """
    }
}
