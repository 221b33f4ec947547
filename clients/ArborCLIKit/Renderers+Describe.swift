import ArborClient

extension Renderers {
    /// `arbor describe`: the model's facts, its attributes and its event sources with their measures.
    public static func describe(_ answer: Answer<ModelDescription>, context: RenderContext) -> RenderedOutput {
        let model = answer.value
        let facts =
            "id type: \(model.idType), time zone: \(model.timeZone), labels: \(model.hasLabel ? "yes" : "no"); "
            + "nodes: \(model.nodes), edges: \(model.edges), cycle groups: \(model.cycleGroups)"
        func measures(_ source: ModelDescription.Source, separator: String) -> String {
            source.measures.map { $0.scale == 0 ? $0.name : "\($0.name) (scale \($0.scale))" }
                .joined(separator: separator)
        }
        switch context.format {
        case .table:
            let attributes =
                model.attributes.isEmpty
                ? ["(no attributes)"]
                : TextTable(
                    columns: [.init("ATTRIBUTE"), .init("TYPE"), .init("CLOSED"), .init("DISTINCT", .right)],
                    rows: model.attributes.map {
                        [$0.name, $0.type, $0.closed ? "yes" : "no", String($0.distinctValues)]
                    }
                ).render()
            let sources =
                model.sources.isEmpty
                ? ["(no event sources)"]
                : TextTable(
                    columns: [
                        .init("SOURCE"), .init("EVENTS", .right), .init("FIRST_DAY"), .init("LAST_DAY"),
                        .init("DIMENSIONS"), .init("MEASURES"),
                    ],
                    rows: model.sources.map {
                        [
                            $0.name, String($0.events), $0.firstDay?.isoString ?? "-", $0.lastDay?.isoString ?? "-",
                            $0.dimensions.isEmpty ? "-" : $0.dimensions.joined(separator: ", "),
                            measures($0, separator: ", "),
                        ]
                    }
                ).render()
            return context.finish([facts, ""] + attributes + [""] + sources, notes: [], meta: answer.meta)
        case .csv:
            let header = [
                "kind", "name", "type", "closed", "distinct_values", "events", "first_day", "last_day", "dimensions",
                "measures",
            ]
            let attributeLines = model.attributes.map {
                CSV.line([
                    "attribute", $0.name, $0.type, String($0.closed), String($0.distinctValues), "", "", "", "", "",
                ])
            }
            let sourceLines = model.sources.map {
                CSV.line([
                    "source", $0.name, "", "", "", String($0.events), $0.firstDay?.isoString ?? "",
                    $0.lastDay?.isoString ?? "", $0.dimensions.joined(separator: ";"),
                    $0.measures.map { $0.scale == 0 ? $0.name : "\($0.name):\($0.scale)" }.joined(separator: ";"),
                ])
            }
            return context.finish(
                [CSV.line(header)] + attributeLines + sourceLines, notes: [facts], meta: answer.meta)
        case .json:
            let document = JSONValue.object([
                ("id_type", .string(model.idType.description)),
                ("time_zone", .string(model.timeZone)),
                ("has_label", .bool(model.hasLabel)),
                ("nodes", .uint(model.nodes)),
                ("edges", .uint(model.edges)),
                ("cycle_groups", .uint(UInt64(model.cycleGroups))),
                (
                    "attributes",
                    .array(
                        model.attributes.map {
                            .object([
                                ("name", .string($0.name)), ("type", .string($0.type)), ("closed", .bool($0.closed)),
                                ("distinct_values", .uint(UInt64($0.distinctValues))),
                            ])
                        })
                ),
                (
                    "sources",
                    .array(
                        model.sources.map {
                            .object([
                                ("name", .string($0.name)),
                                ("events", .uint($0.events)),
                                ("first_day", $0.firstDay.map { .string($0.isoString) } ?? .null),
                                ("last_day", $0.lastDay.map { .string($0.isoString) } ?? .null),
                                ("dimensions", .array($0.dimensions.map { .string($0) })),
                                ("measures", measuresJSON($0.measures)),
                            ])
                        })
                ),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }
}
