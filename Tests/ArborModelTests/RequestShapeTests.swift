import ArborModel
import Testing

/// The request-shape rules, checked once below both query paths.
@Suite struct RequestShapeTests {
    static let sales = ResolvedModel.Source(
        name: "sales",
        dimensions: [
            ResolvedModel.Dimension(name: "product", type: .text),
            ResolvedModel.Dimension(name: "quantity", type: .integer(.int32)),
        ],
        measures: [
            ResolvedModel.Measure(name: "count", column: nil, scale: 0),
            ResolvedModel.Measure(name: "amount", column: "amount", scale: 2),
        ])

    static let model = ResolvedModel(
        model: DataModel(
            nodes: DataModel.Nodes(table: DataModel.TableName(name: "employees"), id: "emp_no", label: "name"),
            hierarchy: .parentColumn("manager_no")),
        idType: .integer(.int64),
        attributes: [
            ResolvedModel.Attribute(name: "dept", column: "dept", type: .text, closed: true),
            ResolvedModel.Attribute(name: "remote", column: "remote", type: .boolean, closed: false),
            ResolvedModel.Attribute(name: "level", column: "level", type: .integer(.int16), closed: false),
        ],
        sources: [sales, ResolvedModel.Source(name: "hires", dimensions: [], measures: [sales.measures[0]])])

    struct Bad: Sendable, CustomStringConvertible {
        var description: String
        var check: @Sendable () throws(QueryError) -> Void
        var field: String
        var message: String
    }

    static let bad: [Bad] = [
        Bad(
            description: "unknown attribute",
            check: { () throws(QueryError) in
                try model.checkFilter([ValueMatch(name: "role", values: ["x"])], field: "filter")
            },
            field: "filter[0].name", message: "\"role\" is not an attribute of this model (dept, remote, level)"),
        Bad(
            description: "breakdown by an unknown attribute",
            check: { () throws(QueryError) in
                _ = try RankingQuery(model: model, breakdownBy: "channel")
            },
            field: "breakdown_by", message: "\"channel\" is not an attribute of this model (dept, remote, level)"),
        Bad(
            description: "label is not a filter attribute",
            check: { () throws(QueryError) in
                try model.checkFilter([ValueMatch(name: "label", values: ["x"])], field: "filter")
            },
            field: "filter[0].name", message: "\"label\" is not an attribute"),
        Bad(
            description: "a match without values",
            check: { () throws(QueryError) in
                try model.checkFilter([ValueMatch(name: "dept", values: [])], field: "filter")
            },
            field: "filter[0].values", message: "give at least one value"),
        Bad(
            description: "a boolean that is not true or false",
            check: { () throws(QueryError) in
                try model.checkFilter([ValueMatch(name: "remote", values: ["yes"], negate: true)], field: "filter")
            }, field: "filter[0].values", message: "\"yes\" is not a boolean (true or false)"),
        Bad(
            description: "an integer out of the column's range",
            check: { () throws(QueryError) in
                try model.checkFilter(
                    [ValueMatch(name: "dept", values: ["A"]), ValueMatch(name: "level", values: ["40000"])],
                    field: "filter")
            }, field: "filter[1].values", message: "\"40000\" is not an integer"),
        Bad(
            description: "a closed value outside the set, negated",
            check: { () throws(QueryError) in
                try model.checkClosedValues(
                    [ValueMatch(name: "dept", values: ["Sales", "Nope"], negate: true)], field: "filter",
                    allowed: { _ in ["Sales", "Ops"] })
            }, field: "filter[0].values", message: "\"Nope\" is not a known dept"),
        Bad(
            description: "an empty value of a closed attribute",
            check: { () throws(QueryError) in
                try model.checkClosedValues(
                    [ValueMatch(name: "dept", values: [""])], field: "filter", allowed: { _ in ["Sales"] })
            }, field: "filter[0].values", message: "\"\" is not a known dept"),
        Bad(
            description: "unknown source",
            check: { () throws(QueryError) in _ = try model.source(named: "refunds", field: "events.source") },
            field: "events.source", message: "\"refunds\" is not an event source of this model (sales, hires)"),
        Bad(
            description: "an attribute used as a dimension",
            check: { () throws(QueryError) in
                try model.checkEventMatches(
                    [ValueMatch(name: "dept", values: ["A"])], source: sales, field: "events.match")
            }, field: "events.match[0].name", message: "\"dept\" is not a dimension of sales (product, quantity)"),
        Bad(
            description: "a dimension of a source that has none",
            check: { () throws(QueryError) in
                try model.checkEventMatches(
                    [ValueMatch(name: "product", values: ["A"])], source: model.sources[1], field: "events.match")
            }, field: "events.match[0].name", message: "is not a dimension of hires (it has none)"),
        Bad(
            description: "unknown measure",
            check: { () throws(QueryError) in
                _ = try model.measureIndexes(["revenue"], source: sales, field: "measures")
            },
            field: "measures", message: "\"revenue\" is not a measure of sales (count, amount)"),
        Bad(
            description: "repeated measure",
            check: { () throws(QueryError) in
                _ = try model.measureIndexes(["amount", "amount"], source: sales, field: "measures")
            }, field: "measures", message: "\"amount\" is named twice"),
        Bad(
            description: "repeated group_by",
            check: { () throws(QueryError) in
                _ = try model.groupKeys(["day", "dept", "day"], source: sales, field: "group_by")
            },
            field: "group_by", message: "\"day\" is named twice"),
        Bad(
            description: "unknown group_by",
            check: { () throws(QueryError) in _ = try model.groupKeys(["year"], source: sales, field: "group_by") },
            field: "group_by", message: "\"year\" is not a grouping of sales"),
        Bad(
            description: "repeated traversal attribute",
            check: { () throws(QueryError) in
                _ = try model.nodeColumns(["label", "dept", "label"], field: "attributes")
            },
            field: "attributes", message: "\"label\" is named twice"),
    ]

    @Test(arguments: bad) func badShapesAreRefusedNamingTheFieldAndValue(_ bad: Bad) {
        #expect {
            try bad.check()
        } throws: { error in
            guard let error = error as? QueryError else { return false }
            return error.code == .invalidArgument && error.field == bad.field
                && error.message.hasPrefix("\(bad.field): ") && error.message.contains(bad.message)
        }
    }

    @Test func goodShapesResolve() throws {
        try Self.model.checkFilter(
            [
                ValueMatch(name: "dept", values: ["Sales", ""]), ValueMatch(name: "remote", values: ["false"]),
                ValueMatch(name: "level", values: ["-3", "0"], negate: true),
            ], field: "filter")
        #expect(try Self.model.source(named: "", field: "events.source").name == "sales")
        #expect(try Self.model.measureIndexes([], source: Self.sales, field: "measures") == [0])
        #expect(try Self.model.measureIndexes(["amount", "count"], source: Self.sales, field: "measures") == [1, 0])
        let keys = try Self.model.groupKeys(
            ["week", "product", "level", "node"], source: Self.sales, field: "group_by")
        #expect(
            keys == [
                .week, .dimension(Self.sales.dimensions[0]), .attribute(Self.model.attributes[2]), .node,
            ])
        #expect(
            try Self.model.nodeColumns(["level", "label"], field: "attributes") == [
                .attribute(Self.model.attributes[2]), .label,
            ])
    }

    @Test func labelIsRefusedOnAModelWithoutOne() {
        var model = Self.model
        model.model.nodes.label = nil
        #expect(throws: QueryError.self) { try model.nodeColumns(["label"], field: "attributes") }
    }
}
