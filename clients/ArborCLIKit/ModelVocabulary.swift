import ArborClient

/// Checks the names a command line uses against the model `Describe` reported, so that a typo is answered with the
/// names that exist rather than the server's bare INVALID_ARGUMENT. The server checks again; this only explains.
public struct ModelVocabulary: Sendable {
    public let model: ModelDescription

    public init(model: ModelDescription) {
        self.model = model
    }

    /// Keys `--group-by` accepts besides attributes and dimensions.
    public static let timeKeys = ["day", "week", "month"]

    /// The event source named `name` (`nil`: the model's first).
    public func source(_ name: String?, option: String = "--source") throws(CLIError) -> ModelDescription.Source {
        guard !model.sources.isEmpty else {
            throw CLIError(.invalidOrNotFound, "the model has no event sources, so there are no events to count")
        }
        guard let source = model.source(named: name) else {
            throw unknown("event source", name ?? "", option: option, known: model.sources.map(\.name))
        }
        return source
    }

    /// Attribute names (`--attributes`); `label` too where traversals accept it and the model has labels.
    public func checkAttributes(_ names: [String], option: String, allowLabel: Bool = false) throws(CLIError) {
        var known = model.attributes.map(\.name)
        if allowLabel && model.hasLabel { known.insert("label", at: 0) }
        for name in names where !known.contains(name) {
            throw unknown("attribute", name, option: option, known: known)
        }
    }

    /// The names of node matches (`--where`, `--downline-where`) are attributes.
    public func checkNodeMatches(_ matches: [Match], option: String) throws(CLIError) {
        try checkAttributes(matches.map(\.name), option: option)
    }

    /// The names of event matches (`--event-where`) are dimensions of `source`.
    public func checkEventMatches(
        _ matches: [Match], source: ModelDescription.Source, option: String
    ) throws(CLIError) {
        for match in matches where !source.dimensions.contains(match.name) {
            throw unknown("dimension of \(source.name)", match.name, option: option, known: source.dimensions)
        }
    }

    /// `--group-by`: time keys, `node`, attributes, and the dimensions of `source`.
    public func checkGroupBy(_ names: [String], source: ModelDescription.Source) throws(CLIError) {
        let known = Self.timeKeys + ["node"] + model.attributes.map(\.name) + source.dimensions
        for name in names where !known.contains(name) {
            throw unknown("group-by key", name, option: "--group-by", known: known)
        }
    }

    /// `--measure`: measures of `source`.
    public func checkMeasures(_ names: [String], source: ModelDescription.Source) throws(CLIError) {
        let known = source.measures.map(\.name)
        for name in names where !known.contains(name) {
            throw unknown("measure of \(source.name)", name, option: "--measure", known: known)
        }
    }

    /// How messages name an id of the model's type: `a UUID`, `an integer id`, `a text id`.
    public var idPhrase: String {
        switch model.idType {
        case .uuid: "a UUID"
        case .integer: "an integer id"
        case .text: "a text id"
        case .other(let name): "an id of type \(name)"
        }
    }

    private func unknown(_ what: String, _ name: String, option: String, known: [String]) -> CLIError {
        let list = known.isEmpty ? "there are none" : "use " + known.joined(separator: ", ")
        return CLIError(.invalidOrNotFound, "\(option): no \(what) named '\(name)'; \(list)")
    }
}
