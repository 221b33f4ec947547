import ArborCLIKit
import ArborClient
import ArgumentParser

/// `--where NAME=V1,V2` (the attribute is one of the values) and `--where-not NAME=V1,V2` (it is none of them);
/// each repeats, and every one must hold.
struct NodeFilterOptions: ParsableArguments {
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp("Only nodes whose attribute is one of the values (repeat for more).", valueName: "attr=v,…"))
    var holds: [String] = []

    @Option(
        name: .customLong("where-not"),
        help: ArgumentHelp("Only nodes whose attribute is set and none of the values.", valueName: "attr=v,…"))
    var holdsNot: [String] = []

    func matches() throws(CLIError) -> [Match] {
        try OptionParsing.matches(holds, holdsNot, option: "--where")
    }
}

/// Which events count: the source, matches on its dimensions and the day window.
struct EventScopeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The event source (default: the model's first).", valueName: "source"))
    var source: String?

    @Option(
        name: .customLong("event-where"),
        help: ArgumentHelp("Only events whose dimension is one of the values (repeat for more).", valueName: "dim=v,…"))
    var holds: [String] = []

    @Option(
        name: .customLong("event-where-not"),
        help: ArgumentHelp("Only events whose dimension is set and none of the values.", valueName: "dim=v,…"))
    var holdsNot: [String] = []

    @Option(help: ArgumentHelp("First day counted (inclusive).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last day counted (inclusive).", valueName: "YYYY-MM-DD"))
    var to: String?

    /// Checks what needs no model: the dates and the match syntax.
    func validate() throws {
        _ = try OptionParsing.window(from: from, to: to)
        _ = try OptionParsing.matches(holds, holdsNot, option: "--event-where")
    }

    /// The scope and its source, with names checked against the model.
    func scope(_ vocabulary: ModelVocabulary) throws(CLIError) -> (EventScope, ModelDescription.Source) {
        let source = try vocabulary.source(source)
        let matches = try OptionParsing.matches(holds, holdsNot, option: "--event-where")
        try vocabulary.checkEventMatches(matches, source: source, option: "--event-where")
        let window = try OptionParsing.window(from: from, to: to)
        return (EventScope(source: self.source, match: matches, from: window.from, to: window.to), source)
    }
}
