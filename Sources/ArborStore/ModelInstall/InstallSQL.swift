import ArborModel

/// Expressions shared by the SQL ``ModelInstaller`` generates. Every identifier from the model is quoted with
/// ``ModelSQL/quoted(_:)``; the only values written into the text are the model's own (a source name, the time
/// zone), as string literals, because DDL — a trigger function's body — cannot take parameters.
///
/// Every expression that runs inside an application's write is total: it never raises for any value of its
/// column, so capturing a change can never make the application's statement fail.
enum InstallSQL {
    /// A string literal, `'…'` with quotes doubled (`standard_conforming_strings` is on in every supported
    /// PostgreSQL, so a backslash is an ordinary character).
    static func literal(_ value: String) -> String {
        var literal = "'"
        for character in value {
            literal.append(character)
            if character == "'" { literal.append("'") }
        }
        return literal + "'"
    }

    /// The dollar-quote tag around generated function bodies; no generated body contains it, since every
    /// identifier is in double quotes and every value a single-quoted model name or zone (checked by
    /// ``ModelInstaller``).
    static let bodyTag = "$arbor$"

    /// The type a rollup stores a dimension in: its value type, with every integer width widened to `bigint`, so
    /// that widening the application's column later cannot make the capture cast fail.
    static func dimensionType(_ type: ValueType) -> String {
        switch type {
        case .text: "text"
        case .integer: "bigint"
        case .boolean: "boolean"
        }
    }

    /// `expression` as a value of the id type, or NULL when it cannot be a node id: an integer outside the id
    /// column's width names no node, and casting it would fail the writer's statement.
    static func nodeValue(_ expression: String, idType: NodeIDType) -> String {
        switch idType {
        case .uuid: return "(\(expression))::uuid"
        case .text: return "(\(expression))::text"
        case .integer(.int64): return "(\(expression))::bigint"
        case .integer(let width):
            return "CASE WHEN (\(expression)) BETWEEN \(width.range.lowerBound) AND \(width.range.upperBound) "
                + "THEN (\(expression))::\(width.rawValue) END"
        }
    }

    /// The canonical text of a node id column's value (what ``NodeID/canonical`` prints), NULL as for
    /// ``nodeValue(_:idType:)``.
    static func nodeText(_ expression: String, idType: NodeIDType) -> String {
        "(\(nodeValue(expression, idType: idType)))::text"
    }

    /// The day of an event: the date in the model's zone of a `timestamptz`, the date part of a `timestamp` (wall
    /// clock in the model's zone), the `date` itself.
    static func dayValue(_ expression: String, kind: ResolvedModel.TimeKind, timeZone: String) -> String {
        switch kind {
        case .timestamptz: "((\(expression)) AT TIME ZONE \(literal(timeZone)))::date"
        case .timestamp, .date: "(\(expression))::date"
        }
    }

    /// One event's contribution to a sum: the value × 10^scale, rounded half away from zero (`round(numeric)`
    /// does that), as `numeric`, so neither an integer nor a numeric column can overflow it. NULL stays NULL.
    static func measureValue(_ expression: String, scale: Int) -> String {
        let factor = scale > 0 ? " * 1\(String(repeating: "0", count: scale))::numeric" : ""
        return "round((\(expression))::numeric\(factor))"
    }

    /// A dimension's value in its rollup type.
    static func dimensionValue(_ expression: String, type: ValueType) -> String {
        "(\(expression))::\(dimensionType(type))"
    }

    /// `SECURITY DEFINER` with a fixed search path: the functions run with the rights of the role that installed
    /// them, so the application's role needs no rights on schema `arbor` and its writes cannot fail for want of
    /// them; every name in a body is schema-qualified or from `pg_catalog`.
    static let functionOptions = "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
}
