import ArborModel

/// How a grouping key of one value type is grouped, ordered and compared in SQL, so that SQL's order is
/// ``ValueType/orders(_:before:)``: `""` (NULL) first, integers numerically, `false` before `true`, everything else
/// by bytes.
extension ValueType {
    /// The expression grouped on for `column`: text in its text form with NULL as `''` (both key `""`); integers
    /// and booleans as themselves (NULL is the only `""`).
    func groupExpression(_ column: String) -> String {
        switch self {
        case .text: "coalesce(\(column)::text, '')"
        case .integer, .boolean: column
        }
    }

    /// The ORDER BY term of a grouped key.
    func orderTerm(_ key: String) -> String {
        switch self {
        case .text: "\(key) COLLATE \"C\""
        case .integer, .boolean: "\(key) NULLS FIRST"
        }
    }

    /// A grouped key as it is returned: text, NULL as `""`.
    func returnedKey(_ key: String) -> String {
        switch self {
        case .text: key
        case .integer, .boolean: "coalesce(\(key)::text, '')"
        }
    }

    /// Conditions "the grouped `key` orders after `value`" and "… equals `value`", `value` being a returned key.
    ///
    /// - Returns: `nil` when `value` is no key of this type (a page token from another request).
    func keyComparison(
        _ key: String, value: String, parameters: inout SQLParameters
    ) -> (after: String, equal: String)? {
        switch self {
        case .text:
            let bound = parameters.add(.text(value))
            return ("\(key) COLLATE \"C\" > \(bound)::text", "\(key) = \(bound)::text")
        case .integer, .boolean:
            if value.isEmpty { return ("\(key) IS NOT NULL", "\(key) IS NULL") }
            let bound: String
            if case .integer = self {
                guard let integer = Int64(value) else { return nil }
                bound = "\(parameters.add(.int64(integer)))::int8"
            } else {
                guard value == "true" || value == "false" else { return nil }
                bound = "\(parameters.add(.bool(value == "true")))::bool"
            }
            return ("\(key) > \(bound)", "\(key) = \(bound)")
        }
    }
}
