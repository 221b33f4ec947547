import ArborModel

/// The SQL of one event source: its rollup table and packs (``SourcePack``) and their backfill, and the trigger
/// functions that keep both exact in the writer's own transaction and log each change to `arbor.model_changes`.
///
/// The triggers are statement-level with transition tables: combinations of dimension values the statement brings
/// are numbered first (in key order, so concurrent writers of the same new combinations wait rather than deadlock);
/// then a statement's events are aggregated once per (node, day, dimensions) key, the deltas are logged, merged into
/// the packs per (node, month) and upserted into the rollup, both in key order — so writers that change the same
/// keys lock rows in one order and single-statement writers never deadlock on them — and rollup rows that reached
/// count 0 are deleted (found through a partial index that is empty between statements).
struct SourceCaptureSQL {
    let model: ResolvedModel
    let source: ResolvedModel.Source
    let declaration: DataModel.EventSource
    let rollup: SourceRollup
    let pack: SourcePack

    init(_ source: ResolvedModel.Source, of model: ResolvedModel) {
        self.model = model
        self.source = source
        self.declaration = model.declaration(of: source)
        self.rollup = SourceRollup(source)
        self.pack = SourcePack(source)
    }

    private let q = ModelSQL.quoted

    var functionName: String { "capture_event_\(source.name)" }
    var truncateFunctionName: String { "capture_event_\(source.name)_truncate" }
    var triggerPrefix: String { "arbor_model_event_\(source.name)" }
    var keyName: String { "rollup_\(source.name)_key" }
    var emptiedIndexName: String { "rollup_\(source.name)_emptied" }
    var packKeyName: String { "pack_\(source.name)_key" }
    var combinationsKeyName: String { "combos_\(source.name)_key" }

    /// Every identifier this source adds, for the length check (PostgreSQL truncates names past 63 bytes).
    var identifiers: [String] {
        [
            rollup.tableName, functionName, truncateFunctionName, keyName, emptiedIndexName,
            "\(triggerPrefix)_truncate", pack.tableName, pack.combinationsTableName, packKeyName,
            combinationsKeyName,
        ] + rollup.dimensionColumns + rollup.sumColumns
    }

    /// (rollup column, expression over the event row `e`) for the key and each sum, in table order.
    private var columns: (key: [(String, String)], sums: [(String, String)]) {
        let idType = model.idType
        var key = [
            (SourceRollup.nodeColumn, InstallSQL.nodeValue("e.\(q(declaration.node))", idType: idType)),
            (
                SourceRollup.dayColumn,
                InstallSQL.dayValue("e.\(q(declaration.time))", kind: source.time, timeZone: model.model.timeZone)
            ),
        ]
        for (dimension, column) in zip(source.dimensions, rollup.dimensionColumns) {
            key.append((column, InstallSQL.dimensionValue("e.\(q(dimension.name))", type: dimension.type)))
        }
        let sums = zip(source.measures.filter { $0.column != nil }, rollup.sumColumns).map { measure, column in
            (column, InstallSQL.measureValue("e.\(q(measure.column!))", scale: measure.scale))
        }
        return (key, sums)
    }

    private var keyList: String { rollup.keyColumns.map(q).joined(separator: ", ") }

    /// Creates the table without its key, so the backfill does not maintain an index row by row.
    var createTable: String {
        var definitions = [
            "\(q(SourceRollup.nodeColumn)) \(ModelSQL(model).idSQLType) NOT NULL",
            "\(q(SourceRollup.dayColumn)) date NOT NULL",
        ]
        for (dimension, column) in zip(source.dimensions, rollup.dimensionColumns) {
            definitions.append("\(q(column)) \(InstallSQL.dimensionType(dimension.type))")
        }
        definitions.append("\(q(SourceRollup.countColumn)) bigint NOT NULL")
        definitions += rollup.sumColumns.map { "\(q($0)) numeric NOT NULL" }
        return "CREATE TABLE \(rollup.qualifiedTable) (\n    \(definitions.joined(separator: ",\n    "))\n)"
    }

    /// Fills the new table from every event of the source, in key order: the rows of a node then sit together,
    /// so a reader that still visits the table (pages not yet all-visible, or a scan over every node) reads few
    /// pages per node.
    var backfill: String {
        let (key, sums) = columns
        let inner = (key + sums).map { "\($0.1) AS \(q($0.0))" }.joined(separator: ", ")
        let aggregates =
            ["count(*)::bigint"] + sums.map { "coalesce(sum(\(q($0.0))), 0)" }
        return """
            INSERT INTO \(rollup.qualifiedTable) (\(keyList), \(rollup.measureColumns.map(q).joined(separator: ", ")))
            SELECT \(keyList), \(aggregates.joined(separator: ", "))
            FROM (SELECT \(inner) FROM \(ModelSQL.qualified(declaration.table)) e) e
            WHERE \(q(SourceRollup.nodeColumn)) IS NOT NULL AND \(q(SourceRollup.dayColumn)) IS NOT NULL
            GROUP BY \(keyList)
            ORDER BY \(keyList)
            """
    }

    /// The key (NULL dimensions equal, as GROUP BY has them) and the index that finds emptied rows.
    ///
    /// The key carries the count and the sums (`INCLUDE`), so the live SQL reads a node's rows in a window from
    /// the index alone (an index-only scan), whatever the order of the table: rows written by triggers land
    /// wherever there is room, and visiting them one by one cost 5–21 s for a FilteredStats on the demo. Updates
    /// of a rollup row were never HOT (the emptied-rows index's predicate names `count`), so the wider key costs
    /// only its size.
    var createIndexes: [String] {
        [
            "ALTER TABLE \(rollup.qualifiedTable) ADD CONSTRAINT \(q(keyName)) UNIQUE NULLS NOT DISTINCT (\(keyList)) "
                + "INCLUDE (\(rollup.measureColumns.map(q).joined(separator: ", ")))",
            "CREATE INDEX \(q(emptiedIndexName)) ON \(rollup.qualifiedTable) (\(q(SourceRollup.nodeColumn))) "
                + "WHERE \(q(SourceRollup.countColumn)) = 0",
        ]
    }

    /// The trigger function of INSERT, UPDATE and DELETE.
    var captureFunction: String {
        let (key, sums) = columns
        let count = q(SourceRollup.countColumn)
        let node = q(SourceRollup.nodeColumn)
        let day = q(SourceRollup.dayColumn)
        let rows = (key + sums).map { "\($0.1) AS \(q($0.0))" }.joined(separator: ", ")
        let negatedRows = (key.map { "\($0.1) AS \(q($0.0))" } + sums.map { "-\($0.1) AS \(q($0.0))" })
            .joined(separator: ", ")
        let present = "\(node) IS NOT NULL AND \(day) IS NOT NULL"

        func oneSided(_ table: String, sign: String) -> String {
            let aggregates =
                ["\(sign)count(*)::bigint AS \(count)"]
                + sums.map {
                    "\(sign)coalesce(sum(\(q($0.0))), 0) AS \(q($0.0))"
                }
            return """
                        WITH delta AS (
                            SELECT \(keyList), \(aggregates.joined(separator: ", "))
                            FROM (SELECT \(rows) FROM \(table) e) e
                            WHERE \(present)
                            GROUP BY \(keyList)
                        )\(applyDelta)
                """
        }
        let movedAggregates =
            ["sum(\(count))::bigint AS \(count)"]
            + sums.map {
                "coalesce(sum(\(q($0.0))), 0) AS \(q($0.0))"
            }
        let changed = (["sum(\(count)) <> 0"] + sums.map { "coalesce(sum(\(q($0.0))), 0) <> 0" })
            .joined(separator: " OR ")
        return """
            CREATE FUNCTION arbor.\(q(functionName))() RETURNS trigger
                \(InstallSQL.functionOptions)
                AS \(InstallSQL.bodyTag)
            BEGIN
                IF TG_OP = 'INSERT' THEN
            \(numberCombinations(from: "new_rows", rows: rows, present: present))\(oneSided("new_rows", sign: ""))
                    RETURN NULL;
                ELSIF TG_OP = 'DELETE' THEN
            \(oneSided("old_rows", sign: "-"))
                ELSE
            \(numberCombinations(from: "new_rows", rows: rows, present: present))        WITH moved AS (
                        SELECT \(rows), 1 AS \(count) FROM new_rows e
                        UNION ALL
                        SELECT \(negatedRows), -1 AS \(count) FROM old_rows e
                    ), delta AS (
                        SELECT \(keyList), \(movedAggregates.joined(separator: ", "))
                        FROM moved
                        WHERE \(present)
                        GROUP BY \(keyList)
                        HAVING \(changed)
                    )\(applyDelta)
                END IF;
                DELETE FROM \(rollup.qualifiedTable) WHERE \(count) = 0;
                RETURN NULL;
            END
            \(InstallSQL.bodyTag)
            """
    }

    /// After a `delta` CTE: log it, then upsert it in key order.
    private var applyDelta: String {
        let dimensions =
            rollup.dimensionColumns.isEmpty
            ? "'{}'::text[]" : "ARRAY[\(rollup.dimensionColumns.map { "\(q($0))::text" }.joined(separator: ", "))]"
        let measures = rollup.measureColumns.map(q)
        let updates = measures.map { "\($0) = r.\($0) + excluded.\($0)" }.joined(separator: ", ")
        return """
            , logged AS (
                        INSERT INTO arbor.model_changes (kind, source, node, day, dims, deltas)
                        SELECT 'event', \(InstallSQL.literal(source.name)), \(q(SourceRollup.nodeColumn))::text,
                            \(q(SourceRollup.dayColumn)), \(dimensions),
                            ARRAY[\(measures.map { "\($0)::numeric" }.joined(separator: ", "))]
                        FROM delta
                    )\(mergeIntoPacks)
                    INSERT INTO \(rollup.qualifiedTable) AS r (\(keyList), \(measures.joined(separator: ", ")))
                    SELECT \(keyList), \(measures.joined(separator: ", ")) FROM delta
                    ORDER BY \(keyList)
                    ON CONFLICT (\(keyList)) DO UPDATE SET \(updates);
            """
    }

    /// TRUNCATE empties the rollup and the packs and tells readers to reload.
    var truncateFunction: String {
        """
        CREATE FUNCTION arbor.\(q(truncateFunctionName))() RETURNS trigger
            \(InstallSQL.functionOptions)
            AS \(InstallSQL.bodyTag)
        BEGIN
            DELETE FROM \(rollup.qualifiedTable);
            DELETE FROM \(pack.qualifiedTable);
            INSERT INTO arbor.model_changes (kind, source) VALUES ('reset', \(InstallSQL.literal(source.name)));
            RETURN NULL;
        END
        \(InstallSQL.bodyTag)
        """
    }

    var triggers: [CaptureTrigger] {
        CaptureTrigger.rowChanges(
            prefix: triggerPrefix, on: declaration.table, function: functionName,
            truncateFunction: truncateFunctionName)
    }
}
