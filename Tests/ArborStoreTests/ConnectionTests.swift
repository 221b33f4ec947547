import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("postgresql://alice:secret@db.example:6543/arbor?sslmode=disable", "db.example", "6543", "arbor", "alice"),
        ("host=/tmp port=5433 dbname=app user=bob password=secret", "/tmp", "5433", "app", "bob"),
    ])
    func parsesURLAndKeywordForms(input: String, host: String, port: String, dbname: String, user: String) throws {
        let configuration = try PostgresConfiguration(connectionString: input)
        #expect(configuration.value(for: "host") == host)
        #expect(configuration.value(for: "port") == port)
        #expect(configuration.value(for: "dbname") == dbname)
        #expect(configuration.value(for: "user") == user)
        #expect(!configuration.description.contains("secret"))
    }

    @Test func addsKeepalivesAndApplicationNameUnlessGiven() throws {
        let plain = try PostgresConfiguration(connectionString: "host=localhost")
        #expect(plain.value(for: "keepalives") == "1")
        #expect(plain.value(for: "keepalives_idle") == "30")
        #expect(plain.value(for: "application_name") == "arbor")
        #expect(plain.value(for: "connect_timeout") == "5")
        let custom = try PostgresConfiguration(
            connectionString: "postgresql://localhost/db?application_name=mine&keepalives_idle=7")
        #expect(custom.value(for: "application_name") == "mine")
        #expect(custom.value(for: "keepalives_idle") == "7")
        #expect(custom.parameters.filter { $0.keyword == "application_name" }.count == 1)
    }

    @Test(arguments: ["postgresql://host:notaport/db?x", "host=a nosuchkeyword=1", "host='unterminated"])
    func rejectsMalformedStrings(input: String) {
        #expect(throws: StoreError.self) { try PostgresConfiguration(connectionString: input) }
        do {
            _ = try PostgresConfiguration(connectionString: input)
        } catch let error as StoreError {
            #expect(error.code == .invalidArgument)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func resolvesFlagThenEnvironmentThenLibpqDefaults() throws {
        let flag = try PostgresConfiguration.resolve(
            databaseURL: "postgresql://flag/db", environment: ["ARBOR_DATABASE_URL": "postgresql://env/db"])
        #expect(flag.value(for: "host") == "flag")
        let env = try PostgresConfiguration.resolve(
            databaseURL: nil, environment: ["ARBOR_DATABASE_URL": "postgresql://env/db"])
        #expect(env.value(for: "host") == "env")
        let defaults = try PostgresConfiguration.resolve(databaseURL: "", environment: [:])
        #expect(defaults.value(for: "host") == nil)
        #expect(defaults.value(for: "application_name") == "arbor")
    }
}

@Suite struct ConnectionTests {
    @Test func connectsWithURLAndKeywordForms() async throws {
        let url = try TestEnvironment.require("ARBOR_TEST_DATABASE_URL")
        let fromURL = try PostgresConfiguration(connectionString: url)
        let host = try #require(fromURL.value(for: "host"))
        let port = try #require(fromURL.value(for: "port"))
        let keyword = try PostgresConfiguration(
            connectionString: "host=\(host) port=\(port) user=postgres dbname=postgres")
        for configuration in [fromURL, keyword] {
            let client = PostgresClient(configuration: configuration, maxConnections: 1, logger: TestDatabase.logger)
            let name = try await client.withConnection { connection in
                try connection.query("SELECT current_setting('application_name')").first!.decode(String.self, at: 0)
            }
            await client.shutdown()
            #expect(name == "arbor")
        }
    }

    @Test func boundParametersRoundTrip() async throws {
        try await TestDatabase.withClient { client in
            let id = UUID()
            let date = Day(year: 2024, month: 2, day: 29)!
            let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let hostile = "Ro'bert'); DROP TABLE users; -- ü 😀 \"quoted\""
            let bytes: [UInt8] = [0, 1, 2, 0xFF, 0x7F]
            let row = try await client.withConnection { connection in
                try connection.query(
                    """
                    SELECT $1::text, $2::int2, $3::int4, $4::int8, $5::bool, $6::float8, $7::uuid, $8::date,
                           $9::timestamptz, $10::bytea, $11::text, $12::int8, $13::uuid, $14::text[], $15::uuid[],
                           $16::int8[], $17::date, $18::bool, length($1), $19::int4[], $20::date[]
                    """,
                    [
                        .text(hostile), .int16(-12), .int32(Int32.min), .int64(Int64.max), .bool(true),
                        .float64(-1.5e300), .uuid(id), .date(date), .timestamptz(instant), .bytea(bytes), .text(nil),
                        .int64(nil), .uuid(nil), .textArray(["a", nil, "ü'"]), .uuidArray([id, id]),
                        .int64Array([1, -2]), .untyped("2024-12-31"), false, .int32Array([]),
                        .dateArray([date]),
                    ]
                ).first!
            }
            #expect(try row.decode(String.self, at: 0) == hostile)
            #expect(try row.decode(Int16.self, at: 1) == -12)
            #expect(try row.decode(Int32.self, at: 2) == Int32.min)
            #expect(try row.decode(Int64.self, at: 3) == Int64.max)
            #expect(try row.decode(Bool.self, at: 4) == true)
            #expect(try row.decode(Double.self, at: 5) == -1.5e300)
            #expect(try row.decode(UUID.self, at: 6) == id)
            #expect(try row.decode(Day.self, at: 7) == date)
            let decodedInstant = try row.decode(Date.self, at: 8)
            #expect(abs(decodedInstant.timeIntervalSince(instant)) < 0.000_001)
            #expect(try row.decode([UInt8].self, at: 9) == bytes)
            #expect(try row.decode(String?.self, at: 10) == nil)
            #expect(try row.decode(Int64?.self, at: 11) == nil)
            #expect(try row.decode(UUID?.self, at: 12) == nil)
            #expect(try row.decode([String?].self, at: 13) == ["a", nil, "ü'"])
            #expect(try row.decode([UUID].self, at: 14) == [id, id])
            #expect(try row.decode([Int64].self, at: 15) == [1, -2])
            #expect(try row.decode(Day.self, at: 16).description == "2024-12-31")
            #expect(try row.decode(Bool.self, at: 17) == false)
            #expect(try row.decode(Int.self, at: 18) == hostile.count)
            #expect(try row.decode([Int32].self, at: 19) == [])
            #expect(try row.decode([Day].self, at: 20) == [date])
            #expect(throws: StoreError.self) { try row.decode(String.self, at: 10) }
            #expect(throws: StoreError.self) { try row.decode(UUID.self, at: 3) }
        }
    }

    @Test func hostileTextIsStoredVerbatimNotExecuted() async throws {
        try await TestDatabase.withClient { client in
            let hostile = "x'); DROP TABLE t; --"
            let stored = try await client.withConnection { connection in
                try connection.execute("CREATE TABLE t (v text)")
                let inserted = try connection.execute("INSERT INTO t VALUES ($1), ($1)", [.text(hostile)])
                #expect(inserted == 2)
                return try connection.query("SELECT v FROM t").map { try $0.decode(String.self, at: 0) }
            }
            #expect(stored == [hostile, hostile])
        }
    }

    @Test func decodesNumericAndAggregates() async throws {
        try await TestDatabase.withClient { client in
            let row = try await client.withConnection { connection in
                try connection.query(
                    "SELECT sum(x), 12345678901234.5678::numeric, (-0.05)::numeric(5,3), count(*), 0::numeric "
                        + "FROM generate_series(1, 1000) x"
                ).first!
            }
            #expect(try row.decode(Int64.self, at: 0) == 500_500)
            #expect(try row.decode(String.self, at: 1) == "12345678901234.5678")
            #expect(try row.decode(String.self, at: 2) == "-0.050")
            #expect(try row.decode(Int64.self, at: 3) == 1000)
            #expect(try row.decode(String.self, at: 4) == "0")
            #expect(throws: StoreError.self) { try row.decode(Int64.self, at: 1) }
        }
    }

    @Test(arguments: [
        ("SELEC 1", StoreError.Code.queryFailed, "42601"),
        ("SELECT 1/0", StoreError.Code.queryFailed, "22012"),
        ("INSERT INTO u VALUES (1), (1)", StoreError.Code.uniqueViolation, "23505"),
        ("SELECT 'abc'::int", StoreError.Code.invalidArgument, "22P02"),
    ])
    func mapsServerErrors(sql: String, code: StoreError.Code, sqlState: String) async throws {
        try await TestDatabase.withClient("errors_\(sqlState)") { client in
            let error = await #expect(throws: StoreError.self) {
                try await client.withConnection { connection in
                    try connection.execute("CREATE TABLE u (id int PRIMARY KEY)")
                    try connection.execute(sql)
                }
            }
            #expect(error?.code == code)
            #expect(error?.sqlState == sqlState)
            #expect(error?.statement == sql)
            #expect(!(error?.description.contains(sql) ?? true), "SQL must not reach callers")
            // The connection is still good afterwards.
            let one = try await client.withConnection { try $0.query("SELECT 1").first!.decode(Int.self, at: 0) }
            #expect(one == 1)
        }
    }

    @Test func aShutDownClientRefusesWorkAndAPoolHasAtLeastOneConnection() async throws {
        try await TestDatabase.with { configuration in
            let client = PostgresClient(configuration: configuration, maxConnections: 0, logger: TestDatabase.logger)
            #expect(client.maxConnections == 1)
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<5 {
                    group.addTask {
                        try await client.withConnection {
                            try $0.query("SELECT $1::int8", [.int(i)]).first!.decode(Int.self, at: 0)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.sorted() == [0, 1, 2, 3, 4])
            await client.shutdown()
            let error = await #expect(throws: StoreError.self) {
                try await client.withConnection { try $0.execute("SELECT 1") }
            }
            #expect(error?.code == .shutDown)
        }
    }

    @Test func connectionRefusedIsConnectionFailed() async throws {
        let port = try FreePort.find()
        let configuration = try PostgresConfiguration(connectionString: "postgresql://postgres@127.0.0.1:\(port)/x")
        let client = PostgresClient(configuration: configuration, maxConnections: 2, logger: TestDatabase.logger)
        let start = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            try await client.withConnection { try $0.execute("SELECT 1") }
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.libraryMessage != nil)
        #expect(!(error?.description.contains("127.0.0.1") ?? true), "hosts stay in the logs")
        #expect(ContinuousClock.now - start < .seconds(2))
        await client.shutdown()
    }

    @Test func streamsRowsOneAtATimeWithBoundParameters() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let (count, sum) = try await client.withConnection { connection in
                var sum: Int64 = 0
                let count = try connection.forEachRow(
                    "SELECT i, 'row ' || i FROM generate_series(1, $1) i WHERE i % $2 = 0", [.int(50_000), .int(5)]
                ) { row in
                    let i = try row.decode(Int64.self, at: 0)
                    if try row.decode(String.self, at: 1) != "row \(i)" { throw StoreError(.decodingFailed, "\(i)") }
                    sum += i
                }
                return (count, sum)
            }
            #expect(count == 10_000)
            #expect(sum == 5 * (10_000 * 10_001 / 2))
            let error = await #expect(throws: StoreError.self) {
                try await client.withConnection { connection in
                    try connection.forEachRow("SELECT generate_series(1, 10000000)") { row in
                        if try row.decode(Int.self, at: 0) == 3 { throw StoreError(.notFound, "enough") }
                    }
                }
            }
            #expect(error?.code == .notFound)
            let syntax = await #expect(throws: StoreError.self) {
                try await client.withConnection { try $0.forEachRow("SELEC 1") { _ in } }
            }
            #expect(syntax?.sqlState == "42601")
            #expect(try await client.withConnection { try $0.query("SELECT 5").first!.decode(Int.self, at: 0) } == 5)
        }
    }

    @Test func readOnlySnapshotRefusesWritesAndSeesOneSnapshot() async throws {
        try await TestDatabase.withClient { client in
            try await client.withConnection { try $0.execute("CREATE TABLE t (v int)") }
            let error = await #expect(throws: StoreError.self) {
                try await client.withReadOnlySnapshot { try $0.execute("INSERT INTO t VALUES (1)") }
            }
            #expect(error?.sqlState == "25006")
            let isolation = try await client.withReadOnlySnapshot { connection in
                try connection.query("SHOW transaction_isolation").first!.decode(String.self, at: 0)
            }
            #expect(isolation == "repeatable read")
            try await client.withTransaction { try $0.execute("INSERT INTO t VALUES (1), (2)") }
            await #expect(throws: StoreError.self) {
                try await client.withTransaction { connection in
                    try connection.execute("INSERT INTO t VALUES (3)")
                    throw StoreError(.invalidArgument, "roll back")
                }
            }
            let count = try await client.withConnection {
                try $0.query("SELECT count(*) FROM t").first!.decode(Int.self, at: 0)
            }
            #expect(count == 2)
        }
    }
}
