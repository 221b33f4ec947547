extension Duration {
    /// Whole milliseconds, rounded toward zero: how timeouts, ages and retentions travel (SQL, wire, logs).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Milliseconds with their fraction, for reports and benchmarks.
    public var fractionalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
