/// Lets global options stand before the subcommand (`arbor --server h:p health`), as users type them, by moving
/// them after it, where every subcommand declares them.
public enum GlobalOptionOrder {
    /// Options that take a value, and flags, shared by every subcommand.
    public static let valued: Set<String> = ["--server", "--timeout", "--max-staleness", "--min-version", "--format"]
    public static let flags: Set<String> = ["--live"]

    /// `arguments` (without the program name) with leading global options moved after the first other word.
    public static func reordered(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let name = String(word.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(word) || (valued.contains(name) && word.contains("=")) {
                leading.append(word)
                index += 1
            } else if valued.contains(word), index + 1 < arguments.count {
                leading.append(contentsOf: arguments[index...(index + 1)])
                index += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
