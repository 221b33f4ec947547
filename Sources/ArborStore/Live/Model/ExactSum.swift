import ArborModel

/// A sum as PostgreSQL computed it, exactly (`numeric`, or an integer type), as it must travel: a 64-bit integer.
///
/// Sums are computed as `numeric` so that the database never fails on overflow; whether a sum fits is decided
/// here, so the caller gets OUT_OF_RANGE naming the measure rather than a database error.
enum ExactSum {
    /// `text` (`nil` for NULL: nothing was added, 0) as an `Int64`; `nil` when it is an integer outside 64 bits.
    ///
    /// - Throws: ``StoreError`` when the value is no integer at all (a `NaN` in a numeric column).
    static func value(_ text: String?, measure: String) throws -> Int64? {
        guard let text else { return 0 }
        if let value = Int64(text) { return value }
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") }
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw StoreError(.protocolViolation, "the sum of \(measure) is not an integer (\(text.prefix(40)))")
        }
        return nil
    }

    /// A sum a query returns: ``QueryError/sumOutOfRange(_:)`` when it does not fit in 64 bits.
    static func answer(_ text: String?, measure: String) throws -> Int64 {
        guard let value = try value(text, measure: measure) else { throw QueryError.sumOutOfRange(measure) }
        return value
    }
}
