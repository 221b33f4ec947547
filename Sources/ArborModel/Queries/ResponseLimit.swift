/// The largest response a call may send, and what a caller whose answer passes it can do instead.
///
/// Queries count what they build against it and stop at the limit, so no answer is built in full only to be
/// refused. They count a lower bound of the encoded size (the keys' and texts' bytes and a byte per number), so
/// stopping is never wrong; the exact size is checked once more when the response is encoded.
public struct ResponseLimit: Hashable, Sendable {
    /// Encoded bytes a response may take.
    public var bytes: Int
    /// The call, as the error message names it (`FilteredStats`).
    public var call: String
    /// How to narrow or page the request.
    public var advice: String

    public init(bytes: Int, call: String, advice: String) {
        self.bytes = bytes
        self.call = call
        self.advice = advice
    }

    /// No limit that any answer reaches.
    public static let none = ResponseLimit(bytes: .max, call: "", advice: "")

    /// The error for a response of at least `size` bytes.
    public func exceeded(atLeast size: Int) -> QueryError {
        QueryError(
            code: .resourceExhausted, field: "",
            message: "\(call) response would be at least \(size) bytes, over the \(bytes)-byte limit: \(advice)")
    }

    /// Adds `size` bytes to `used`, throwing once the total passes the limit.
    @inline(__always)
    public func spend(_ size: Int, from used: inout Int) throws(QueryError) {
        used &+= size
        if used > bytes { throw exceeded(atLeast: used) }
    }
}
