import ArborModel

/// The change capture of the hierarchy: the nodes table, the edge table (or the parent column) and the tables of
/// closed value sets, each logging to `arbor.model_changes`:
///
/// - `node`: the node with this id was inserted, updated or deleted — the refresher re-reads its row;
/// - `edge`: the multiplicity of (parent, child) changed by `deltas[1]` (an edge table may hold an edge twice; a
///   parent column is one edge per node, logged as −1 for the old parent and +1 for the new one);
/// - `values`: a table of closed values changed — the refresher re-reads those sets;
/// - `reset`: a table was truncated — the refresher reloads everything.
///
/// Edges with a NULL end, or an integer end outside the id type, are not logged: they name no node.
struct GraphCaptureSQL {
    let model: ResolvedModel

    private let q = ModelSQL.quoted

    static let nodesFunction = "capture_nodes"
    static let edgesFunction = "capture_edges"
    static let valuesFunction = "capture_values"
    static let resetFunction = "capture_reset"

    private var idType: NodeIDType { model.idType }
    private var nodes: DataModel.Nodes { model.model.nodes }

    /// The nodes' function: node entries, and with a parent column the edge deltas too.
    var nodesFunction: String {
        let id = InstallSQL.nodeText("e.\(q(nodes.id))", idType: idType)
        var parentEdges: (String) -> String = { _ in "" }
        if case .parentColumn(let parent) = model.model.hierarchy {
            parentEdges = { operation in
                self.edgeDeltas(
                    parent: InstallSQL.nodeText("e.\(q(parent))", idType: self.idType), child: id, for: operation)
            }
        }
        return """
            CREATE FUNCTION arbor.\(q(Self.nodesFunction))() RETURNS trigger
                \(InstallSQL.functionOptions)
                AS \(InstallSQL.bodyTag)
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO arbor.model_changes (kind, node)
                    SELECT DISTINCT 'node', id FROM (SELECT \(id) AS id FROM new_rows e) n WHERE id IS NOT NULL;
            \(parentEdges("INSERT"))
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO arbor.model_changes (kind, node)
                    SELECT DISTINCT 'node', id FROM (SELECT \(id) AS id FROM old_rows e) n WHERE id IS NOT NULL;
            \(parentEdges("DELETE"))
                ELSE
                    INSERT INTO arbor.model_changes (kind, node)
                    SELECT 'node', id
                    FROM (SELECT \(id) AS id FROM new_rows e UNION SELECT \(id) FROM old_rows e) n
                    WHERE id IS NOT NULL;
            \(parentEdges("UPDATE"))
                END IF;
                RETURN NULL;
            END
            \(InstallSQL.bodyTag)
            """
    }

    /// The edge table's function, or `nil` with a parent column.
    var edgesFunction: String? {
        guard case .edges(_, let parent, let child) = model.model.hierarchy else { return nil }
        let parentText = InstallSQL.nodeText("e.\(q(parent))", idType: idType)
        let childText = InstallSQL.nodeText("e.\(q(child))", idType: idType)
        return """
            CREATE FUNCTION arbor.\(q(Self.edgesFunction))() RETURNS trigger
                \(InstallSQL.functionOptions)
                AS \(InstallSQL.bodyTag)
            BEGIN
                IF TG_OP = 'INSERT' THEN
            \(edgeDeltas(parent: parentText, child: childText, for: "INSERT"))
                ELSIF TG_OP = 'DELETE' THEN
            \(edgeDeltas(parent: parentText, child: childText, for: "DELETE"))
                ELSE
            \(edgeDeltas(parent: parentText, child: childText, for: "UPDATE"))
                END IF;
                RETURN NULL;
            END
            \(InstallSQL.bodyTag)
            """
    }

    /// Logs the net change of each (parent, child) pair a statement made.
    private func edgeDeltas(parent: String, child: String, for operation: String) -> String {
        var moved: [String] = []
        if operation != "DELETE" {
            moved.append("SELECT \(parent) AS parent, \(child) AS child, 1 AS n FROM new_rows e")
        }
        if operation != "INSERT" {
            moved.append("SELECT \(parent) AS parent, \(child) AS child, -1 AS n FROM old_rows e")
        }
        return """
                    INSERT INTO arbor.model_changes (kind, node, other, deltas)
                    SELECT 'edge', parent, child, ARRAY[sum(n)::numeric]
                    FROM (\(moved.joined(separator: " UNION ALL "))) m
                    WHERE parent IS NOT NULL AND child IS NOT NULL
                    GROUP BY parent, child
                    HAVING sum(n) <> 0;
            """
    }

    /// Any change of a closed-values table.
    static let valuesFunctionSQL = """
        CREATE FUNCTION arbor.\(ModelSQL.quoted(valuesFunction))() RETURNS trigger
            \(InstallSQL.functionOptions)
            AS \(InstallSQL.bodyTag)
        BEGIN
            INSERT INTO arbor.model_changes (kind) VALUES ('values');
            RETURN NULL;
        END
        \(InstallSQL.bodyTag)
        """

    /// TRUNCATE of the nodes or edge table.
    static let resetFunctionSQL = """
        CREATE FUNCTION arbor.\(ModelSQL.quoted(resetFunction))() RETURNS trigger
            \(InstallSQL.functionOptions)
            AS \(InstallSQL.bodyTag)
        BEGIN
            INSERT INTO arbor.model_changes (kind) VALUES ('reset');
            RETURN NULL;
        END
        \(InstallSQL.bodyTag)
        """

    var nodeTriggers: [CaptureTrigger] {
        CaptureTrigger.rowChanges(
            prefix: "arbor_model_nodes", on: nodes.table, function: Self.nodesFunction,
            truncateFunction: Self.resetFunction)
    }

    var edgeTriggers: [CaptureTrigger] {
        guard case .edges(let table, _, _) = model.model.hierarchy else { return [] }
        return CaptureTrigger.rowChanges(
            prefix: "arbor_model_edges", on: table, function: Self.edgesFunction, truncateFunction: Self.resetFunction)
    }

    static func valuesTrigger(on table: DataModel.TableName) -> CaptureTrigger {
        CaptureTrigger(
            name: "arbor_model_values", table: table, event: "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE",
            function: valuesFunction)
    }
}
