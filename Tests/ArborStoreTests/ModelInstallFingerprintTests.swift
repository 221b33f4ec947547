import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// The fingerprint changes exactly when what `migrate --model` stores or captures changes.
@Suite struct ModelInstallFingerprintTests {
    static let base = ResolvedModel(
        model: DataModel(
            timeZone: "Europe/Berlin",
            nodes: DataModel.Nodes(
                table: DataModel.TableName(name: "staff"), id: "id", label: "name",
                attributes: [DataModel.Attribute(name: "region", column: "region")]),
            hierarchy: .parentColumn("boss"),
            sources: [
                DataModel.EventSource(
                    name: "sales", table: DataModel.TableName(name: "sales"), node: "seller", time: "sold_at",
                    dimensions: ["product"], measures: [DataModel.Measure(name: "amount", column: "amount", scale: 2)]),
                DataModel.EventSource(
                    name: "hires", table: DataModel.TableName(name: "hires"), node: "person", time: "hired_on"),
            ]),
        idType: .integer(.int32),
        attributes: [ResolvedModel.Attribute(name: "region", column: "region", type: .text, closed: false)],
        sources: [
            ResolvedModel.Source(
                name: "sales", time: .timestamptz, dimensions: [ResolvedModel.Dimension(name: "product", type: .text)],
                measures: [
                    ResolvedModel.Measure(name: "count", column: nil, scale: 0),
                    ResolvedModel.Measure(name: "amount", column: "amount", scale: 2),
                ]),
            ResolvedModel.Source(
                name: "hires", time: .date, dimensions: [],
                measures: [ResolvedModel.Measure(name: "count", column: nil, scale: 0)]),
        ])

    struct Change: Sendable, CustomStringConvertible {
        var description: String
        var changesFingerprint: Bool
        var apply: @Sendable (inout ResolvedModel) -> Void
    }

    static let changes: [Change] = [
        Change(description: "another time zone", changesFingerprint: true) { $0.model.timeZone = "Asia/Kolkata" },
        Change(description: "another id type", changesFingerprint: true) { $0.idType = .integer(.int64) },
        Change(description: "a new dimension", changesFingerprint: true) { model in
            model.sources[0].dimensions.append(ResolvedModel.Dimension(name: "channel", type: .text))
            model.model.sources[0].dimensions.append("channel")
        },
        Change(description: "a dimension's type", changesFingerprint: true) {
            $0.sources[0].dimensions[0].type = .integer(.int16)
        },
        Change(description: "a new measure", changesFingerprint: true) { model in
            model.sources[0].measures.append(ResolvedModel.Measure(name: "units", column: "units", scale: 0))
        },
        Change(description: "a measure's scale", changesFingerprint: true) { $0.sources[0].measures[1].scale = 3 },
        Change(description: "a measure's column", changesFingerprint: true) {
            $0.sources[0].measures[1].column = "price"
        },
        Change(description: "the time column's type", changesFingerprint: true) { $0.sources[0].time = .timestamp },
        Change(description: "the event table", changesFingerprint: true) {
            $0.model.sources[0].table = DataModel.TableName(schema: "shop", name: "sales")
        },
        Change(description: "the hierarchy", changesFingerprint: true) {
            $0.model.hierarchy = .edges(table: DataModel.TableName(name: "edges"), parent: "p", child: "c")
        },
        Change(description: "a closed attribute", changesFingerprint: true) {
            $0.model.nodes.attributes[0].valuesFrom = DataModel.ColumnReference(
                table: DataModel.TableName(name: "regions"), column: "name")
        },
        Change(description: "a source removed", changesFingerprint: true) { model in
            model.sources.removeLast()
            model.model.sources.removeLast()
        },
        Change(description: "an attribute added", changesFingerprint: false) { model in
            model.model.nodes.attributes.append(DataModel.Attribute(name: "status", column: "status"))
            model.attributes.append(
                ResolvedModel.Attribute(name: "status", column: "status", type: .text, closed: false))
        },
        Change(description: "the label", changesFingerprint: false) { $0.model.nodes.label = nil },
    ]

    @Test(arguments: changes)
    func theFingerprintFollowsWhatIsStored(_ change: Change) {
        var model = Self.base
        change.apply(&model)
        #expect((ModelFingerprint(model) != ModelFingerprint(Self.base)) == change.changesFingerprint)
    }

    @Test func theTextNamesEveryStoredFactQuoted() {
        #expect(
            ModelFingerprint(Self.base).text == """
                arbor model layout 3
                id_type integer
                time_zone 'Europe/Berlin'
                nodes "public"."staff" id "id"
                hierarchy parent "boss"
                source "sales" layout 3 id_type integer
                  table "public"."sales" node "seller" time "sold_at" timestamptz in 'Europe/Berlin'
                  dimension "product" text
                  measure "amount" sum "amount" scale 2
                source "hires" layout 3 id_type integer
                  table "public"."hires" node "person" time "hired_on" date

                """)
    }

    @Test func theHashIsTheSHA256OfTheText() async throws {
        try await TestDatabase.withClient { client in
            let (hash, again, other) = try await client.withConnection { connection in
                var other = Self.base
                other.model.timeZone = "UTC"
                return (
                    try ModelFingerprint(Self.base).sha256(on: connection),
                    try ModelFingerprint(Self.base).sha256(on: connection),
                    try ModelFingerprint(other).sha256(on: connection)
                )
            }
            #expect(hash.count == 64 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(hash == again)
            #expect(hash != other)
            // sha256sum of the text above, computed outside PostgreSQL.
            #expect(hash == Self.expectedHash)
        }
    }

    static let expectedHash = "6da0ee8076571d5ec5b11be94f426ab00ed3562e1d7060a0b6b8bc646856ad12"
}
