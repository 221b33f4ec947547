internal import CLibpq

extension PostgresConnection {
    /// Runs one statement with bound parameters and hands its rows to `row` one at a time as they arrive (libpq's
    /// single-row mode), without buffering the whole result; returns how many rows there were.
    ///
    /// For large parameterised reads, where ``copyOut(_:row:)`` cannot take parameters. It is slower per row than
    /// `COPY` (each row is its own result), so prefer `COPY` for the bulk of a full load.
    ///
    /// If `row` throws, the statement is cancelled, the rest of the result discarded and the error rethrown.
    @discardableResult
    public func forEachRow(
        _ sql: String, _ params: [PostgresBind] = [], row: (PostgresRow) throws -> Void
    ) throws -> Int {
        try self.checkInterruption(sql)
        let sent = try Self.withBoundParameters(params) { count, types, values, lengths, formats in
            PQsendQueryParams(
                self.handle, sql, count, types, values, lengths, formats, PostgresFormat.binary.rawValue)
        }
        guard sent == 1 else {
            self.drainResults()
            throw LibpqError.connection(self.handle, statement: sql)
        }
        guard PQsetSingleRowMode(self.handle) == 1 else {
            self.drainResults()
            throw StoreError(.protocolViolation, "single-row mode could not be enabled", statement: sql)
        }
        var count = 0
        var rowError: (any Error)?
        var finalError: StoreError?
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard rowError == nil else { continue }
                do {
                    try row(Self.materialize(result)[0])
                    count += 1
                } catch {
                    rowError = error
                    self.requestCancel()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                break
            case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
                self.abandonCopy()
                finalError =
                    finalError ?? StoreError(.invalidArgument, "COPY runs through copyOut(_:row:)", statement: sql)
            default:
                finalError = finalError ?? LibpqError.result(result, connection: self.handle, statement: sql)
            }
        }
        if let rowError { throw rowError }
        if let finalError { throw finalError }
        return count
    }
}
