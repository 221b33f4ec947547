import ArborModel

/// Everything ``ModelInstaller`` creates for one model, derived from the model alone: the capture functions and
/// triggers, the rollups, and the application tables they touch. Building it checks that every generated name is
/// one PostgreSQL keeps whole.
struct ModelInstallPlan {
    let model: ResolvedModel
    let fingerprint: ModelFingerprint
    let graph: GraphCaptureSQL
    let sources: [SourceCaptureSQL]
    let closedValueTables: [DataModel.TableName]

    /// PostgreSQL's identifier limit (NAMEDATALEN − 1); longer names are silently truncated, and two could meet.
    static let maximumIdentifierBytes = 63

    init(_ model: ResolvedModel) throws {
        let names =
            model.sources.map(\.name)
            + model.sources.flatMap { source in
                source.dimensions.map(\.name) + source.measures.filter { $0.column != nil }.map(\.name)
            }
        for name in names where !DataModel.isValidName(name) {
            throw StoreError(.invalidArgument, "the model name \"\(name)\" is not [a-z][a-z0-9_]*")
        }
        let zone = model.model.timeZone
        guard !zone.isEmpty, !zone.contains("$"), !zone.utf8.contains(0) else {
            throw StoreError(.invalidArgument, "unknown time zone \"\(zone)\" (use an IANA name such as Asia/Kolkata)")
        }
        self.model = model
        self.fingerprint = ModelFingerprint(model)
        self.graph = GraphCaptureSQL(model: model)
        self.sources = model.sources.map { SourceCaptureSQL($0, of: model) }
        self.closedValueTables = ModelFingerprint.closedValueTables(of: model)
        for source in sources {
            for identifier in source.identifiers where identifier.utf8.count > Self.maximumIdentifierBytes {
                throw StoreError(
                    .invalidArgument,
                    "events.\(source.source.name): the name \"\(identifier)\" Arbor derives from it is longer than "
                        + "PostgreSQL's \(Self.maximumIdentifierBytes) bytes; use a shorter source, dimension or "
                        + "measure name")
            }
        }
    }

    /// The tables whose writes are captured (nodes, edges, event sources), each once, in model order.
    var capturedTables: [DataModel.TableName] {
        var tables: [DataModel.TableName] = [model.model.nodes.table]
        if case .edges(let table, _, _) = model.model.hierarchy { tables.append(table) }
        tables += sources.map(\.declaration.table)
        var seen = Set<DataModel.TableName>()
        return tables.filter { seen.insert($0).inserted }
    }

    /// Every capture trigger, given which closed-values tables can carry one (a view cannot).
    func triggers(closedValueTables capturable: [DataModel.TableName]) -> [CaptureTrigger] {
        graph.nodeTriggers + graph.edgeTriggers + sources.flatMap(\.triggers)
            + capturable.map(GraphCaptureSQL.valuesTrigger(on:))
    }

    /// Every capture function.
    var functions: [String] {
        [graph.nodesFunction] + (graph.edgesFunction.map { [$0] } ?? [])
            + [GraphCaptureSQL.valuesFunctionSQL, GraphCaptureSQL.resetFunctionSQL]
            + sources.flatMap { [$0.captureFunction, $0.truncateFunction] }
    }
}
