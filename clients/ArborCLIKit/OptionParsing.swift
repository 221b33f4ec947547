import ArborClient

/// Parsers for the CLI's option values; each returns `nil` or throws a message naming what is accepted.
public enum OptionParsing {
    /// `tree|self|children|downline|role:NAME` (case-insensitive keywords; the role is kept as given).
    public static func metric(_ text: String) -> LeaderboardMetric? {
        let lowered = text.lowercased()
        switch lowered {
        case "tree", "tree_registrations": return .treeRegistrations
        case "self", "self_registrations": return .selfRegistrations
        case "children", "direct_children": return .directChildren
        case "downline", "downline_size": return .downlineSize
        default:
            guard lowered.hasPrefix("role:") else { return nil }
            let role = String(text.dropFirst(5))
            return role.isEmpty ? nil : .downlineRole(role)
        }
    }

    /// The CLI name of each dimension.
    public static let dimensionNames: [(String, StatsDimension)] = [
        ("day", .day), ("role", .role), ("user", .user), ("state", .state), ("district", .district),
        ("block", .block), ("village", .village), ("type", .registrationType), ("channel", .channel),
    ]

    /// The CLI name of `dimension` (`day`, `type`, …), as in `--group-by` and in output headers.
    public static func dimensionName(_ dimension: StatsDimension) -> String {
        dimensionNames.first { $0.1 == dimension }!.0
    }

    /// A comma-separated list of dimensions, e.g. `day,role`; repeats are an error (the server rejects them).
    public static func dimensions(_ text: String) throws(CLIError) -> [StatsDimension] {
        var result: [StatsDimension] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part).trimmingSpaces.lowercased()
            guard
                let dimension = dimensionNames.first(where: {
                    $0.0 == name || ($0.0 == "type" && name == "registration_type")
                })?.1
            else {
                throw CLIError(
                    .usage,
                    "unknown --group-by dimension '\(part)'; use any of \(dimensionNames.map(\.0).joined(separator: ", "))"
                )
            }
            guard !result.contains(dimension) else {
                throw CLIError(.usage, "--group-by names '\(name)' twice")
            }
            result.append(dimension)
        }
        return result
    }

    /// `YYYY-MM-DD` naming a real date.
    public static func day(_ text: String, option: String) throws(CLIError) -> Day {
        guard let day = Day(iso: text) else {
            throw CLIError(.usage, "\(option) must be a real date as YYYY-MM-DD (got '\(text)')")
        }
        return day
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
