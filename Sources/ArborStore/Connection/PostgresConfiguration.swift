internal import CLibpq

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How to reach PostgreSQL: libpq connection parameters, parsed and validated by libpq itself.
///
/// Accepts both of libpq's forms — a URL (`postgresql://user@host:5432/db?sslmode=disable`) or keyword/value pairs
/// (`host=/tmp port=5432 dbname=arbor`) — and the empty string, which leaves every parameter to libpq's `PG*`
/// environment variables and defaults. Unless the string sets them, Arbor adds TCP keepalives (so a dead server is
/// noticed on an idle connection), a connect timeout (so an unreachable server fails a call instead of hanging it)
/// and `application_name=arbor` (so operators can find Arbor's sessions in `pg_stat_activity`).
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// The parameters libpq will get, in order: the ones given, then Arbor's defaults for those not given.
    public private(set) var parameters: [(keyword: String, value: String)]

    /// What Arbor adds when the connection string does not say otherwise.
    public static let defaultParameters: [(keyword: String, value: String)] = [
        ("application_name", "arbor"),
        ("connect_timeout", "5"),
        ("keepalives", "1"),
        ("keepalives_idle", "30"),
        ("keepalives_interval", "10"),
        ("keepalives_count", "3"),
    ]

    /// Parses `connectionString` (URL or keyword form; empty for libpq's environment defaults).
    ///
    /// - Throws: ``StoreError/Code/invalidArgument`` with libpq's reason when the string does not parse.
    public init(connectionString: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw StoreError(
                .invalidArgument,
                "invalid PostgreSQL connection string: \(reason.trimmingTrailingNewlines())"
            )
        }
        defer { PQconninfoFree(options) }
        var given: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                given.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        let givenKeywords = Set(given.map(\.keyword))
        self.parameters = given + Self.defaultParameters.filter { !givenKeywords.contains($0.keyword) }
    }

    /// The configuration `serve`, `migrate` and `seed-demo` use: `databaseURL` if given and not empty, else the
    /// `ARBOR_DATABASE_URL` environment variable, else libpq's own `PG*` variables (an empty connection string).
    public static func resolve(
        databaseURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PostgresConfiguration {
        if let databaseURL, !databaseURL.isEmpty { return try PostgresConfiguration(connectionString: databaseURL) }
        if let fromEnvironment = environment["ARBOR_DATABASE_URL"], !fromEnvironment.isEmpty {
            return try PostgresConfiguration(connectionString: fromEnvironment)
        }
        return try PostgresConfiguration(connectionString: "")
    }

    /// The value given for `keyword` (e.g. `"dbname"`), or Arbor's default for it.
    public func value(for keyword: String) -> String? {
        self.parameters.last { $0.keyword == keyword }?.value
    }

    /// A copy with `keyword` set to `value` (e.g. another `dbname`).
    public func setting(_ keyword: String, to value: String) -> PostgresConfiguration {
        var copy = self
        copy.parameters.removeAll { $0.keyword == keyword }
        copy.parameters.append((keyword, value))
        return copy
    }

    /// Host, port, database and user, never the password; for logs.
    public var description: String {
        let shown = ["host", "hostaddr", "port", "dbname", "user", "application_name"]
        let parts = shown.compactMap { key in self.value(for: key).map { "\(key)=\($0)" } }
        return parts.isEmpty ? "(libpq defaults)" : parts.joined(separator: " ")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s = s.dropLast() }
        return String(s)
    }
}
