import ArborClient

/// Finds the node a command line names: an id of the model's id type that exists, else an exact label.
///
/// An id wins over a label (on a model with text ids, a text may be both). A label is matched byte for byte among
/// the nodes `FindNodes` returns for it as a prefix; those come by label in byte order, so every exact match has been
/// seen once a label sorts after it.
public struct NodeResolver: Sendable {
    /// Label matches fetched per `FindNodes` page.
    public static let pageSize: UInt32 = 1000
    /// Pages read looking for exact matches before giving up (labels that start with the text in another case sort
    /// before it).
    public static let maxPages = 20

    let client: ArborClient
    let model: ModelDescription
    let freshness: Freshness
    let timeout: Duration?

    public init(client: ArborClient, model: ModelDescription, freshness: Freshness, timeout: Duration?) {
        self.client = client
        self.model = model
        self.freshness = freshness
        self.timeout = timeout
    }

    /// The node `text` names, with its label and attributes; `what` names the argument in messages
    /// (e.g. `the root`, `--within`).
    ///
    /// - Throws: ``CLIError``: ``CLIExitCode/usage`` for an empty text, ``CLIExitCode/invalidOrNotFound`` for a
    ///   text that is neither an id nor a label, ``CLIExitCode/ambiguousLabel`` (listing the candidates) for a
    ///   label of several nodes, and the mapped status of a failed call.
    public func resolve(_ text: String, what: String) async throws(CLIError) -> NodeRecord {
        guard !text.isEmpty else { throw CLIError(.usage, "\(what) must be a node id or label (got an empty value)") }
        do {
            if model.idType.accepts(text) {
                let found = try await client.findNodes(
                    NodeSearch(ids: [text], pageSize: 1), freshness: freshness, timeout: timeout)
                if let node = found.value.nodes.first { return node }
            }
            guard model.hasLabel else {
                let reason =
                    model.idType.accepts(text)
                    ? "no node has the id '\(text)'" : "'\(text)' is not \(ModelVocabulary(model: model).idPhrase)"
                throw CLIError(.invalidOrNotFound, "\(reason) (\(what)), and the model has no labels to look it up by")
            }
            let (exact, candidates) = try await labelMatches(text)
            switch exact.count {
            case 1: return exact[0]
            case 0: throw CLIError(.invalidOrNotFound, Self.notFoundMessage(text, what: what, candidates: candidates))
            default:
                throw CLIError(.ambiguousLabel, Self.ambiguityMessage(text, what: what, nodes: exact, model: model))
            }
        } catch let error as CLIError {
            throw error
        } catch let error as RPCError {
            throw CLIError(error, server: client.server)
        } catch {
            throw CLIError(.failed, "\(error)")
        }
    }

    /// Nodes whose label is exactly `label`, and the first page of those whose label starts with it.
    func labelMatches(_ label: String) async throws -> (exact: [NodeRecord], candidates: [NodeRecord]) {
        var exact: [NodeRecord] = []
        var candidates: [NodeRecord] = []
        var pages = client.findNodesPages(
            NodeSearch(labelPrefix: label, pageSize: Self.pageSize), freshness: freshness, timeout: timeout
        ).makeAsyncIterator()
        var read = 0
        while let page = try await pages.next() {
            read += 1
            if candidates.isEmpty { candidates = page.value.nodes }
            exact += page.value.nodes.filter { $0.label == label }
            let passed = page.value.nodes.last.map { Self.bytesAfter($0.label, label) } ?? true
            if passed { break }
            guard read < Self.maxPages else {
                throw CLIError(
                    .invalidOrNotFound,
                    "more than \(Self.maxPages * Int(Self.pageSize)) labels start with '\(label)' in other cases; "
                        + "give the node by id")
            }
        }
        return (exact, candidates)
    }

    /// Whether `text` sorts after `other` in byte order, as `FindNodes` orders labels.
    public static func bytesAfter(_ text: String, _ other: String) -> Bool {
        other.utf8.lexicographicallyPrecedes(text.utf8)
    }

    /// The error text for a text that is neither id nor label, with up to five labels that start with it.
    public static func notFoundMessage(_ text: String, what: String, candidates: [NodeRecord]) -> String {
        var message = "no node has the id or label '\(text)' (\(what))"
        var labels: [String] = []
        for candidate in candidates where !labels.contains(candidate.label) && labels.count < 5 {
            labels.append(candidate.label)
        }
        if !labels.isEmpty {
            message += "; labels that start so: " + labels.map { "'\($0)'" }.joined(separator: ", ")
            if candidates.count > labels.count { message += ", …" }
        }
        return message
    }

    /// The error text for a label of several nodes: one aligned line per candidate with its first attributes.
    public static func ambiguityMessage(
        _ label: String, what: String, nodes: [NodeRecord], model: ModelDescription
    ) -> String {
        let shown = model.attributes.prefix(3).map(\.name)
        let table = TextTable(
            columns: [.init("ID"), .init("LABEL")] + shown.map { .init($0.uppercased()) },
            rows: nodes.map { node in [node.id, node.label] + shown.map { node.attributes[$0] ?? "" } })
        return "'\(label)' (\(what)) is the label of \(nodes.count) nodes; give one by id:\n"
            + table.render().map { "  " + $0 }.joined(separator: "\n")
    }
}
