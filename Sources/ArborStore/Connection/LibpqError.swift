internal import CLibpq

/// The one place libpq's failures become ``StoreError``s.
enum LibpqError {
    /// A connection that could not be made or broke: libpq's text is kept for logs only, since it names hosts.
    static func connection(_ connection: OpaquePointer?, statement: String? = nil) -> StoreError {
        let text = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0).trimmingTrailingNewlines() }
        return StoreError(
            .connectionFailed, "PostgreSQL is unreachable or the connection broke", statement: statement,
            libraryMessage: text)
    }

    /// A failed statement: SQLSTATE decides the code; the server's words go to ``StoreError/serverDiagnostics``.
    static func result(_ result: OpaquePointer?, connection: OpaquePointer, statement: String) -> StoreError {
        guard let result else { return Self.connection(connection, statement: statement) }
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let diagnostics = StoreError.ServerDiagnostics(
            sqlState: field(UInt8(ascii: "C")), message: field(UInt8(ascii: "M")), detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")), constraint: field(UInt8(ascii: "n")))
        let libraryText = PQresultErrorMessage(result).map { String(cString: $0).trimmingTrailingNewlines() }
        guard let sqlState = diagnostics.sqlState else {
            // No SQLSTATE: libpq itself failed (lost connection, protocol trouble).
            if PQstatus(connection) == CONNECTION_BAD {
                return StoreError(
                    .connectionFailed, "the connection to PostgreSQL broke", statement: statement,
                    libraryMessage: libraryText)
            }
            return StoreError(
                .protocolViolation, "PostgreSQL's reply could not be processed", statement: statement,
                libraryMessage: libraryText)
        }
        let (code, message) = Self.classify(sqlState: sqlState)
        return StoreError(
            code, message, serverDiagnostics: diagnostics, statement: statement, libraryMessage: libraryText)
    }

    /// The code and caller-safe message for a SQLSTATE.
    static func classify(sqlState: String) -> (StoreError.Code, String) {
        switch sqlState {
        case "57014": return (.cancelled, "the statement was cancelled")
        case "23505": return (.uniqueViolation, "a row with the same key already exists")
        case "40001", "40P01": return (.serializationFailure, "the transaction conflicted with another; retry it")
        case "57P01", "57P02", "57P03", "53300":
            return (.connectionFailed, "PostgreSQL is shutting down, starting up or refusing connections")
        case "22023", "22007", "22008", "22P02":
            return (.invalidArgument, "the database rejected a value")
        default:
            if sqlState.hasPrefix("08") { return (.connectionFailed, "the connection to PostgreSQL broke") }
            return (.queryFailed, "the database could not run the statement")
        }
    }
}
