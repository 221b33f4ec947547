public import ArborModel

extension PostgresConnection {
    /// The entries of `arbor.model_changes` whose transaction is visible in `until` and not in `since`, by
    /// transaction and then in the order each wrote them: exactly what turns a snapshot of the model's data at `since` into one at `until`, even when
    /// transactions committed out of id order (docs/contract.md, Freshness).
    ///
    /// Call it in a transaction whose snapshot is `until` or newer (take `until` with ``currentSnapshot()`` inside
    /// ``PostgresClient/withReadOnlySnapshot(deadline:_:)``), so every entry `until` sees is readable. Only ids at or
    /// above `since.xmin` can be new to `until`, so the scan is bounded by the txid (BRIN) index.
    ///
    /// Entries naming an id that is not a valid id of the model (e.g. an empty text) are left out: no snapshot can
    /// hold such a node.
    ///
    /// - Throws: ``StoreError/Code/protocolViolation`` for an entry this model cannot read (another source, a key of
    ///   another shape: the installed model is not `model`); ``StoreError/Code/decodingFailed`` for a delta past
    ///   64 bits, which only a full reload can turn into an OUT_OF_RANGE answer.
    public func modelChanges(
        since: PostgresSnapshot, until: PostgresSnapshot, model: ResolvedModel
    ) throws -> [ModelChange] {
        let rows = try self.query(
            """
            SELECT txid, kind, source, node, other, day, dims, deltas::text[]
            FROM arbor.model_changes
            WHERE txid >= $3 AND txid < $4
              AND pg_visible_in_snapshot(txid::text::xid8, $2::pg_snapshot)
              AND NOT pg_visible_in_snapshot(txid::text::xid8, $1::pg_snapshot)
            ORDER BY txid, ctid
            """,
            [
                .untyped(since.description), .untyped(until.description), .int64(Int64(clamping: since.xmin)),
                .int64(Int64(clamping: until.xmax)),
            ])
        let sources = Dictionary(uniqueKeysWithValues: model.sources.map { ($0.name, $0) })
        func id(_ text: String?) -> NodeID? {
            text.flatMap { try? NodeID.parse($0, as: model.idType, field: "id") }
        }
        func integers(_ texts: [String?], _ what: String) throws -> [Int64] {
            try texts.map { text in
                guard let text, let value = Int64(text) ?? PostgresNumeric.integralValue(text) else {
                    throw StoreError(
                        .decodingFailed, "a change-log delta of \(what) does not fit in 64 bits: reload instead")
                }
                return value
            }
        }
        var changes: [ModelChange] = []
        changes.reserveCapacity(rows.count)
        for row in rows {
            let transactionID = try row.decode(UInt64.self, at: 0)
            let kindText = try row.decode(String.self, at: 1)
            let kind: ModelChange.Kind
            switch kindText {
            case "node":
                guard let node = id(try row.decode(String?.self, at: 3)) else { continue }
                kind = .node(node)
            case "edge":
                guard let parent = id(try row.decode(String?.self, at: 3)),
                    let child = id(try row.decode(String?.self, at: 4))
                else { continue }
                let deltas = try integers(try row.decode([String?].self, at: 7), "an edge")
                guard deltas.count == 1 else {
                    throw StoreError(.protocolViolation, "an edge change-log entry without one delta")
                }
                kind = .edge(parent: parent, child: child, delta: deltas[0])
            case "event":
                let name = try row.decode(String?.self, at: 2) ?? ""
                guard let source = sources[name] else {
                    throw StoreError(
                        .protocolViolation, "the change log names event source \"\(name)\", which the model lacks")
                }
                guard let node = id(try row.decode(String?.self, at: 3)) else { continue }
                let dimensions = try row.decode([String?].self, at: 6)
                let deltas = try integers(try row.decode([String?].self, at: 7), "source \(name)")
                guard dimensions.count == source.dimensions.count, deltas.count == source.measures.count else {
                    throw StoreError(
                        .protocolViolation, "a change-log entry of source \(name) does not have the model's shape")
                }
                kind = .event(
                    source: name,
                    key: ModelChange.EventKey(node: node, day: try row.decode(Day.self, at: 5), dimensions: dimensions),
                    deltas: deltas)
            case "values":
                kind = .closedValues
            case "reset":
                kind = .reset
            default:
                throw StoreError(.protocolViolation, "unknown change-log kind \(kindText)")
            }
            changes.append(ModelChange(transactionID: transactionID, kind: kind))
        }
        return changes
    }

    /// Deletes `arbor.model_changes` entries logged more than `retention` ago; returns how many. Several servers
    /// may read the log, each from its own last snapshot, so entries are kept for a time rather than up to one
    /// reader's horizon; a reader whose last refresh is older than that reloads everything.
    @discardableResult
    public func pruneModelChanges(olderThan retention: Duration) throws -> Int {
        try self.execute(
            "DELETE FROM arbor.model_changes WHERE logged_at < now() - $1::bigint * interval '1 millisecond'",
            [.int64(retention.wholeMilliseconds)])
    }
}
