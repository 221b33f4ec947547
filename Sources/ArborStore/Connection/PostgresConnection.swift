internal import CLibpq
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection (`PGconn`), closed when the object goes away.
///
/// Every method blocks its thread while PostgreSQL works, so call them only where blocking is fine: inside
/// ``PostgresClient/withConnection(deadline:_:)`` and its transaction variants, which run on the client's own
/// threads, never on an event loop or the Swift concurrency pool.
///
/// Parameters are always bound (`PQexecParams`); results come back in binary form and are decoded with
/// ``PostgresRow/decode(_:at:)``.
///
/// A connection must be used by one thread at a time and must not escape the closure it was lent to.
public final class PostgresConnection: @unchecked Sendable {
    // @unchecked Sendable: libpq allows a PGconn to move between threads as long as only one uses it at a time.
    // The pool guarantees that: a connection is lent to exactly one closure at a time, and the hand-over goes
    // through a Mutex and the thread pool's queue, which order the previous user's accesses before the next
    // one's. The only members used concurrently are `cancelHandle`, whose PQcancel libpq documents as thread-safe,
    // and the atomic `interruption` flag.

    let handle: OpaquePointer
    /// Sends cancel requests for this connection's running statement from any thread.
    let cancelHandle: CancelHandle?
    /// Set when this connection sent a cancel request itself; the pool then discards it, since a late cancel could
    /// hit a later statement.
    private(set) var cancelRequested = false
    /// Set from any thread when the borrower's deadline passed or its task was cancelled: statements not yet
    /// started are refused, so work cannot slip past a cancel request that arrived between two statements.
    private let interruption = Atomic<Bool>(false)

    private init(handle: OpaquePointer) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle).map(CancelHandle.init)
        // libpq prints notices (e.g. "relation already exists, skipping") to stderr by default; Arbor drops them.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(self.handle)
    }

    /// Opens a connection, blocking until it is ready or has failed (at most the configuration's
    /// `connect_timeout` per host).
    ///
    /// - Throws: ``StoreError/Code/connectionFailed`` when PostgreSQL cannot be reached or refuses the login.
    public static func connect(configuration: PostgresConfiguration) throws -> PostgresConnection {
        let keywords = configuration.parameters.map { strdup($0.keyword) } + [nil]
        let values = configuration.parameters.map { strdup($0.value) } + [nil]
        defer {
            for pointer in keywords { free(pointer) }
            for pointer in values { free(pointer) }
        }
        let constKeywords: [UnsafePointer<CChar>?] = keywords.map { $0.map { UnsafePointer($0) } }
        let constValues: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } }
        let handle = constKeywords.withUnsafeBufferPointer { k in
            constValues.withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 0)
            }
        }
        guard let handle else {
            throw StoreError(.connectionFailed, "PostgreSQL is unreachable", libraryMessage: "out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = LibpqError.connection(handle)
            PQfinish(handle)
            throw error
        }
        return PostgresConnection(handle: handle)
    }

    /// Whether libpq still considers the connection usable. A broken socket is only noticed when it is used.
    public var isConnected: Bool { PQstatus(self.handle) == CONNECTION_OK }

    /// Whether the connection still works as far as can be told without a round trip: reads whatever the server
    /// sent while the connection was idle (a server that shuts down or ends an idle session sends an error and
    /// closes the socket). libpq keeps its socket non-blocking, so this never waits.
    var isAlive: Bool {
        // Twice: a server that shut down sent an error message and then closed; the first read returns the message,
        // only the second sees the end of the stream.
        for _ in 0..<2 where PQconsumeInput(self.handle) != 1 { return false }
        return PQstatus(self.handle) == CONNECTION_OK
    }

    /// The server's version as a number, e.g. `150018` for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(self.handle)) }

    /// Whether the connection is idle outside a transaction (what the pool requires before lending it again).
    var isIdle: Bool { PQtransactionStatus(self.handle) == PQTRANS_IDLE }

    /// Whether the connection is inside a transaction block (open or failed).
    var isInTransaction: Bool {
        let status = PQtransactionStatus(self.handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement with bound parameters and returns its rows.
    ///
    /// - Parameters:
    ///   - sql: One statement with `$1`, `$2`, … placeholders. Never build it from request data.
    ///   - params: The values, in placeholder order.
    /// - Throws: ``StoreError`` with a code from the SQLSTATE (``StoreError/Code/queryFailed``,
    ///   ``StoreError/Code/uniqueViolation``, ``StoreError/Code/cancelled``, …) or
    ///   ``StoreError/Code/connectionFailed`` when the connection broke.
    public func query(_ sql: String, _ params: [PostgresBind] = []) throws -> PostgresResult {
        let result = try self.execute(sql: sql, params: params)
        defer { PQclear(result) }
        return Self.materialize(result)
    }

    /// Runs one statement with bound parameters for its effect; returns the rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresBind] = []) throws -> Int {
        let result = try self.execute(sql: sql, params: params)
        defer { PQclear(result) }
        return Self.affectedRows(result)
    }

    /// Runs SQL text that may hold several statements and takes no parameters: Arbor's own migration scripts.
    /// Never pass anything derived from a request.
    func executeScript(_ sql: String) throws {
        try self.checkInterruption(sql)
        let result = PQexec(self.handle, sql)
        defer { PQclear(result) }
        try self.check(result, statement: sql)
    }

    /// Sends a cancel request for whatever this connection is running, and remembers that it did.
    func requestCancel() {
        self.cancelRequested = true
        self.cancelHandle?.cancel()
    }

    /// Refuses every statement from now on; thread-safe. The pool calls it before sending a cancel request for a
    /// borrower whose deadline passed or whose task was cancelled, and discards the connection afterwards.
    func interrupt() { self.interruption.store(true, ordering: .sequentiallyConsistent) }

    func checkInterruption(_ sql: String) throws {
        if self.interruption.load(ordering: .sequentiallyConsistent) {
            throw StoreError(.cancelled, "the statement was cancelled", statement: sql)
        }
    }

    // MARK: - Internals

    private func execute(sql: String, params: [PostgresBind]) throws -> OpaquePointer {
        try self.checkInterruption(sql)
        let result = try Self.withBoundParameters(params) { count, types, values, lengths, formats in
            PQexecParams(self.handle, sql, count, types, values, lengths, formats, PostgresFormat.binary.rawValue)
        }
        do {
            try self.check(result, statement: sql)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    /// Lays the parameters out as libpq wants them — types, value pointers, lengths, formats — for the duration of
    /// `send`.
    static func withBoundParameters<T>(
        _ params: [PostgresBind],
        _ send: (Int32, [Oid], [UnsafePointer<CChar>?], [Int32], [Int32]) -> T
    ) throws -> T {
        guard params.count <= Int(UInt16.max) else {
            throw StoreError(.invalidArgument, "too many parameters (\(params.count); at most 65535)")
        }
        var types = [Oid]()
        var formats = [Int32]()
        var lengths = [Int32]()
        var offsets = [Int?]()
        var blob = [UInt8]()
        types.reserveCapacity(params.count)
        for param in params {
            types.append(Oid(param.dataType.oid))
            formats.append(param.format.rawValue)
            guard let bytes = param.bytes else {
                offsets.append(nil)
                lengths.append(0)
                continue
            }
            guard bytes.count <= Int(Int32.max) else {
                throw StoreError(.invalidArgument, "a parameter is larger than PostgreSQL accepts")
            }
            if param.format == .text && bytes.contains(0) {
                throw StoreError(.invalidArgument, "a text parameter contains a NUL character")
            }
            offsets.append(blob.count)
            lengths.append(Int32(bytes.count))
            blob.append(contentsOf: bytes)
            if param.format == .text { blob.append(0) }  // libpq reads text parameters as C strings
        }
        blob.append(0)  // never empty, so it always has a base address
        return blob.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return send(Int32(params.count), types, values, lengths, formats)
        }
    }

    private func check(_ result: OpaquePointer?, statement: String) throws {
        guard let result else { throw LibpqError.connection(self.handle, statement: statement) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
            // Leave the connection usable: a COPY started here is ended before reporting the misuse.
            self.abandonCopy()
            throw StoreError(.invalidArgument, "COPY runs through copyOut(_:row:)", statement: statement)
        default:
            throw LibpqError.result(result, connection: self.handle, statement: statement)
        }
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let tuples = PQcmdTuples(result), tuples.pointee != 0 else { return Int(PQntuples(result)) }
        return Int(String(cString: tuples)) ?? Int(PQntuples(result))
    }

    static func materialize(_ result: OpaquePointer) -> PostgresResult {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { column in
            PostgresResult.Column(
                name: String(cString: PQfname(result, Int32(column))),
                dataType: PostgresDataType(oid: UInt32(PQftype(result, Int32(column)))),
                format: PQfformat(result, Int32(column)) == 1 ? .binary : .text)
        }
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount { total += Int(PQgetlength(result, Int32(row), Int32(column))) }
        }
        var storage = [UInt8]()
        storage.reserveCapacity(total)
        var fields = [(start: Int, length: Int)]()
        fields.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                let r = Int32(row)
                let c = Int32(column)
                if PQgetisnull(result, r, c) != 0 {
                    fields.append((0, -1))
                    continue
                }
                let length = Int(PQgetlength(result, r, c))
                fields.append((storage.count, length))
                if length > 0, let value = PQgetvalue(result, r, c) {
                    storage.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                }
            }
        }
        return PostgresResult(
            columns: columns, affectedRows: Self.affectedRows(result), storage: storage, fields: fields,
            rows: rowCount)
    }
}

extension PostgresConnection {
    /// Streams the rows of `COPY (…) TO STDOUT (FORMAT binary)` to `row` as they arrive, without buffering the
    /// whole result; returns how many rows there were.
    ///
    /// `COPY` cannot take bound parameters (PostgreSQL does not allow them in utility statements), so `sql` must be
    /// fixed text. To parameterise a bulk read, set a transaction-local setting first —
    /// `SELECT set_config('arbor.since', $1, true)` — and read it in the query with `current_setting('arbor.since')`.
    ///
    /// If `row` throws, the `COPY` is cancelled, the stream drained and the error rethrown; the connection stays
    /// usable (the pool then replaces it, since a cancel request went out).
    @discardableResult
    public func copyOut(_ sql: String, row: (BinaryCopyRow) throws -> Void) throws -> Int {
        try self.checkInterruption(sql)
        guard let start = PQexec(self.handle, sql) else { throw LibpqError.connection(self.handle, statement: sql) }
        let startStatus = PQresultStatus(start)
        guard startStatus == PGRES_COPY_OUT else {
            defer { PQclear(start) }
            if startStatus == PGRES_COMMAND_OK || startStatus == PGRES_TUPLES_OK || startStatus == PGRES_COPY_IN {
                if startStatus == PGRES_COPY_IN { self.abandonCopy() }
                throw StoreError(.invalidArgument, "copyOut needs a COPY … TO STDOUT statement", statement: sql)
            }
            throw LibpqError.result(start, connection: self.handle, statement: sql)
        }
        PQclear(start)

        var parser = BinaryCopyParser()
        var rowError: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(self.handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                guard rowError == nil else { continue }
                do {
                    try parser.feed(UnsafeRawBufferPointer(start: buffer, count: Int(length)), row: row)
                } catch {
                    rowError = error
                    self.requestCancel()
                }
            } else if length == -1 {
                break
            } else {
                // -2: the connection failed mid-stream.
                self.drainResults()
                throw rowError ?? LibpqError.connection(self.handle, statement: sql)
            }
        }
        var finalError: StoreError?
        while let result = PQgetResult(self.handle) {
            if finalError == nil && PQresultStatus(result) != PGRES_COMMAND_OK {
                finalError = LibpqError.result(result, connection: self.handle, statement: sql)
            }
            PQclear(result)
        }
        if let rowError { throw rowError }
        if let finalError { throw finalError }
        try parser.finish()
        return parser.rowCount
    }

    /// Ends a COPY this connection did not mean to be in, so the connection can be used again.
    func abandonCopy() {
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(self.handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            if length < 0 { break }
        }
        _ = PQputCopyEnd(self.handle, "COPY is not supported here")
        self.drainResults()
    }

    func drainResults() {
        while let result = PQgetResult(self.handle) { PQclear(result) }
    }
}

/// libpq's cancel object for one connection (`PGcancel`): sending a cancel request from any thread.
final class CancelHandle: @unchecked Sendable {
    // @unchecked Sendable: libpq documents PQcancel as thread-safe on a PGcancel; the pointer is immutable and freed
    // only in deinit, when no one else can hold this object.
    private let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQfreeCancel(self.pointer) }

    /// Asks the server to cancel the statement the connection is running; blocks briefly while it connects to the
    /// server. Returns whether the request was sent.
    @discardableResult
    func cancel() -> Bool {
        var errorBuffer = [CChar](repeating: 0, count: 256)
        return PQcancel(self.pointer, &errorBuffer, Int32(errorBuffer.count)) == 1
    }
}
