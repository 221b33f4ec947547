/// The `grpc-timeout` header: at most 8 ASCII digits followed by a unit (`H` hours, `M` minutes, `S` seconds,
/// `m` milliseconds, `u` microseconds, `n` nanoseconds).
public struct GRPCTimeout: Hashable, Sendable, CustomStringConvertible {
    /// The largest value the header can carry in any unit.
    public static let maximumValue: Int64 = 99_999_999

    /// The timeout as a duration.
    public let duration: Duration

    /// The header value, e.g. `250m`.
    public let headerValue: String

    private static let units: [(symbol: UInt8, nanoseconds: Int64)] = [
        (UInt8(ascii: "n"), 1),
        (UInt8(ascii: "u"), 1_000),
        (UInt8(ascii: "m"), 1_000_000),
        (UInt8(ascii: "S"), 1_000_000_000),
        (UInt8(ascii: "M"), 60_000_000_000),
        (UInt8(ascii: "H"), 3_600_000_000_000),
    ]

    /// Parses a `grpc-timeout` header value; `nil` when it is malformed (empty, more than 8 digits, unknown unit).
    public init?(headerValue: some StringProtocol) {
        let utf8 = Array(headerValue.utf8)
        guard utf8.count >= 2, utf8.count <= 9, let unit = utf8.last,
            let scale = Self.units.first(where: { $0.symbol == unit })?.nanoseconds
        else { return nil }
        var value: Int64 = 0
        for byte in utf8.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        // 99,999,999 hours overflow Int64 nanoseconds, so whole-second units are built from seconds.
        let duration: Duration =
            scale >= 1_000_000_000 ? .seconds(value * (scale / 1_000_000_000)) : .nanoseconds(value * scale)
        self.duration = duration
        self.headerValue = String(headerValue)
    }

    /// The header for `duration`, in the finest unit whose value fits in 8 digits, rounded up so that the peer never
    /// gives up earlier than the caller asked. Negative durations encode as zero.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let clampedSeconds = max(seconds, 0)
        let nanosecondsPart = seconds < 0 ? 0 : (attoseconds + 999_999_999) / 1_000_000_000
        for (symbol, scale) in Self.units {
            // value = ceil(total nanoseconds / scale), computed without overflowing for large second counts.
            let value: Int64
            if scale <= 1_000_000_000 {
                let perSecond = 1_000_000_000 / scale
                guard clampedSeconds <= Self.maximumValue / perSecond else { continue }
                value = clampedSeconds * perSecond + (nanosecondsPart + scale - 1) / scale
            } else {
                let secondsPerUnit = scale / 1_000_000_000
                value = (clampedSeconds + (nanosecondsPart > 0 ? 1 : 0) + secondsPerUnit - 1) / secondsPerUnit
            }
            if value <= Self.maximumValue {
                self.headerValue = "\(value)\(Character(Unicode.Scalar(symbol)))"
                self.duration = Self(headerValue: self.headerValue)!.duration
                return
            }
        }
        self.headerValue = "\(Self.maximumValue)H"
        self.duration = .seconds(Self.maximumValue * 3600)
    }

    public var description: String { headerValue }
}
