import ArgumentParser

/// A duration on the command line: a number and a unit, e.g. `500ms`, `2s`, `10m`, `1h`.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let duration: Duration
    let text: String

    init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    init?(argument: String) {
        let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        guard
            let unit = units.first(where: {
                argument.hasSuffix($0.suffix) && Int64(argument.dropLast($0.suffix.count)) != nil
            }),
            let count = Int64(argument.dropLast(unit.suffix.count)), count >= 0, count <= 1_000_000_000
        else { return nil }
        self.init(.milliseconds(count * unit.milliseconds), text: argument)
    }

    var description: String { text }

    static var defaultCompletionKind: CompletionKind { .default }
}
