import ArborModel

extension ColumnMatch {
    /// A condition on `column` (of value type `type`) that holds exactly when ``ColumnMatch/holds(_:)`` does for
    /// its value: one of the values (with `negate`, none of them), NULL never.
    ///
    /// Integers are compared as integers with a bound `int8[]` (an index on the column serves; `""` matches no
    /// integer); text, booleans and enums in their text form with a bound `text[]`.
    func sqlCondition(on column: String, type: ValueType, parameters: inout SQLParameters) -> String {
        let test: String
        switch type {
        case .integer:
            let values = parameters.add(.int64Array(values.compactMap { Int64($0) }.sorted()))
            test = "\(column) = ANY(\(values)::int8[])"
        case .text, .boolean:
            let values = parameters.add(.textArray(values.sorted()))
            test = "\(column)::text = ANY(\(values)::text[])"
        }
        return negate ? "(\(column) IS NOT NULL AND NOT \(test))" : test
    }
}

extension LiveModelQueries {
    /// A node filter as a condition on the nodes row `alias`: every match holds (`TRUE` without matches).
    func filterCondition(_ filter: [ColumnMatch], alias: String, parameters: inout SQLParameters) -> String {
        let conditions = filter.map { match in
            let attribute = model.attributes[match.index]
            return match.sqlCondition(
                on: "\(alias).\(ModelSQL.quoted(attribute.column))", type: attribute.type, parameters: &parameters)
        }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }

    /// An event scope's dimension matches as a condition on the events relation `alias` (``ModelSQL/events(_:timeZone:from:to:)``).
    func dimensionCondition(
        _ matches: [ColumnMatch], source: ResolvedModel.Source, alias: String, parameters: inout SQLParameters
    ) -> String {
        let conditions = matches.map { match in
            match.sqlCondition(
                on: "\(alias).d\(match.index)", type: source.dimensions[match.index].type, parameters: &parameters)
        }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }

    /// The value of an attribute or label column of the nodes row `alias` as it is returned: text, NULL as `""`.
    func returnedValue(_ column: String, alias: String) -> String {
        "coalesce(\(alias).\(ModelSQL.quoted(column))::text, '')"
    }
}
