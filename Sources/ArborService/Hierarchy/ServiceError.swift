import ArborLogging
import ArborModel
import ArborStore
import ArborWire
import Logging

/// Turns what the query paths throw into the status and message a caller sees; database detail goes to the log.
enum ServiceError {
    /// Errors that repeat on every call during an outage are logged once per 10 s, with a count.
    static let eventLog = RateLimitedLog()

    static func rpcError(_ error: any Error, call: String, logger: Logger) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as QueryError:
            switch error.code {
            case .notFound: return RPCError(code: .notFound, message: error.message)
            case .cancelled: return RPCError(code: .cancelled, message: "\(call) was cancelled")
            case .outOfRange: return RPCError(code: .outOfRange, message: error.message)
            case .resourceExhausted: return RPCError(code: .resourceExhausted, message: error.message)
            default: return RPCError(code: .invalidArgument, message: error.message)
            }
        case let error as StoreError:
            return storeError(error, call: call, logger: logger)
        case is CancellationError:
            return RPCError(code: .cancelled, message: "\(call) was cancelled")
        default:
            logger.error("\(call) failed", metadata: ["error": "\(error)"])
            return RPCError(code: .internal, message: "\(call) failed inside the server; the server log has details")
        }
    }

    private static func storeError(_ error: StoreError, call: String, logger: Logger) -> RPCError {
        switch error.code {
        case .deadlineExceeded:
            return RPCError(code: .deadlineExceeded, message: "\(call) did not finish before the deadline")
        case .cancelled:
            return RPCError(code: .cancelled, message: "\(call) was cancelled")
        case .connectionFailed, .shutDown:
            eventLog.log(
                logger, level: .warning, kind: "unreachable", "PostgreSQL unreachable",
                metadata: ["call": "\(call)", "error": "\(error.logDescription)"])
            return RPCError(
                code: .unavailable,
                message: "\(call): PostgreSQL is unreachable and no snapshot fresh enough for this request exists")
        default:
            logger.error("\(call): database error", metadata: ["error": "\(error.logDescription)"])
            return RPCError(code: .internal, message: "\(call) failed in the database; the server log has details")
        }
    }

    /// Whether live SQL failed because PostgreSQL could not be reached (so a stale snapshot may stand in).
    static func isUnreachable(_ error: any Error) -> Bool {
        guard let error = error as? StoreError else { return false }
        return error.code == .connectionFailed || error.code == .shutDown
    }
}
