import ArborClient

/// Parsers for the CLI's option values; each throws a ``CLIError`` (usage) naming what is accepted.
public enum OptionParsing {
    /// `self|tree|children|downline|matching` (case-insensitive; the contract's names are accepted too).
    public static func metric(_ text: String) -> LeaderboardQuery.Metric? {
        switch text.lowercased() {
        case "self", "self_measure": .selfMeasure
        case "tree", "tree_measure": .treeMeasure
        case "children", "direct_children": .directChildren
        case "downline", "downline_size": .downlineSize
        case "matching", "downline_matching": .downlineMatching
        default: nil
        }
    }

    /// A comma-separated list of names (`--group-by day,role`, `--attributes a,b`); the option may also repeat.
    /// Empty names and repeats are errors (the server would reject them).
    public static func names(_ texts: [String], option: String) throws(CLIError) -> [String] {
        var result: [String] = []
        for text in texts {
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let name = String(part).trimmingSpaces
                guard !name.isEmpty else {
                    throw CLIError(.usage, "\(option) has an empty name in '\(text)'; separate names with commas")
                }
                guard !result.contains(name) else { throw CLIError(.usage, "\(option) names '\(name)' twice") }
                result.append(name)
            }
        }
        return result
    }

    /// `NAME=V1,V2,…`: the value is one of V1, V2, … (with `negate`, none of them). `NAME=` matches the empty string.
    public static func match(_ text: String, option: String, negate: Bool) throws(CLIError) -> Match {
        guard let equals = text.firstIndex(of: "=") else {
            throw CLIError(.usage, "\(option) takes NAME=VALUE[,VALUE…] (got '\(text)')")
        }
        let name = String(text[..<equals]).trimmingSpaces
        guard !name.isEmpty else { throw CLIError(.usage, "\(option) needs a name before '=' (got '\(text)')") }
        let values = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
        return Match(name: name, values: values.map(String.init), negate: negate)
    }

    /// Every `--where` (holds) and `--where-not` (negated) match, in that order.
    public static func matches(
        _ holds: [String], _ holdsNot: [String], option: String
    ) throws(CLIError) -> [Match] {
        var result: [Match] = []
        for text in holds { result.append(try match(text, option: option, negate: false)) }
        for text in holdsNot { result.append(try match(text, option: option + "-not", negate: true)) }
        return result
    }

    /// `YYYY-MM-DD` naming a real date.
    public static func day(_ text: String, option: String) throws(CLIError) -> Day {
        guard let day = Day(iso: text) else {
            throw CLIError(.usage, "\(option) must be a real date as YYYY-MM-DD (got '\(text)')")
        }
        return day
    }

    /// The `--from`/`--to` window; `from` after `to` is an error.
    public static func window(from: String?, to: String?) throws(CLIError) -> (from: Day?, to: Day?) {
        let fromDay = try from.map { text throws(CLIError) in try day(text, option: "--from") }
        let toDay = try to.map { text throws(CLIError) in try day(text, option: "--to") }
        if let fromDay, let toDay, fromDay > toDay {
            throw CLIError(.usage, "--from \(fromDay) is after --to \(toDay)")
        }
        return (fromDay, toDay)
    }

    /// A duration: a number with unit `ms`, `s`, `m` or `h` (`250ms`, `2s`, `1.5s`, `5m`); a bare number is seconds.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text.trimmingSpaces)
        var scale = 1.0
        for (suffix, factor) in units where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value >= 0, value * scale <= 86_400 * 365
        else { return nil }
        return .nanoseconds(Int64((value * scale * 1e9).rounded()))
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
