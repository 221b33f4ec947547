import ArborModel

/// One trigger ``ModelInstaller`` puts on an application table: statement-level, calling a function in schema
/// `arbor`. Its name starts with `arbor_model_`; its function's name with `capture_`, which is how a later
/// `migrate` finds every trigger to replace, including those on tables the model no longer names.
struct CaptureTrigger: Hashable {
    var name: String
    var table: DataModel.TableName
    /// `AFTER INSERT`, …
    var event: String
    /// `REFERENCING …` or empty.
    var transitionTables = ""
    var function: String

    var create: String {
        "CREATE TRIGGER \(ModelSQL.quoted(name)) \(event) ON \(ModelSQL.qualified(table)) \(transitionTables) "
            + "FOR EACH STATEMENT EXECUTE FUNCTION arbor.\(ModelSQL.quoted(function))()"
    }

    /// INSERT, UPDATE and DELETE with their transition tables (`new_rows`, `old_rows`) calling `function`, and
    /// TRUNCATE calling `truncateFunction`.
    static func rowChanges(
        prefix: String, on table: DataModel.TableName, function: String, truncateFunction: String
    ) -> [CaptureTrigger] {
        [
            CaptureTrigger(
                name: "\(prefix)_insert", table: table, event: "AFTER INSERT",
                transitionTables: "REFERENCING NEW TABLE AS new_rows",
                function: function),
            CaptureTrigger(
                name: "\(prefix)_update", table: table,
                event: "AFTER UPDATE", transitionTables: "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                function: function),
            CaptureTrigger(
                name: "\(prefix)_delete", table: table, event: "AFTER DELETE",
                transitionTables: "REFERENCING OLD TABLE AS old_rows",
                function: function),
            CaptureTrigger(
                name: "\(prefix)_truncate", table: table, event: "AFTER TRUNCATE", function: truncateFunction),
        ]
    }
}
