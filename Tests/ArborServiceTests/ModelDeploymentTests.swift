import ArborHTTP2
import ArborStore
import ArborTestSupport
import ArborWire
import Foundation
import Testing

/// The model is configuration, not code: the `arbor-server` binary on an organisation's own tables
/// (`employees`/`sales`), refusing to serve before `migrate --model`, serving after it, refusing a changed model
/// with the command that fixes it, and after that `migrate` grouping and summing by the dimension and measure the
/// change added.
@Suite struct ModelDeploymentTests {
    static let firstModel = """
        time_zone: Europe/Berlin
        nodes:
          table: employees
          id: emp_no
          label: name
          attributes:
            dept: { column: dept }
            grade: { column: grade }
        hierarchy:
          parent: manager_no
        events:
          sales:
            table: sales
            node: emp_no
            time: sold_at
        """

    /// The same model with a dimension and a measure added to `sales`.
    static let changedModel =
        firstModel + """

                dimensions: [product]
                measures:
                  amount: { sum: amount, scale: 2 }
            """

    static let tables = """
        CREATE TABLE employees (emp_no bigint PRIMARY KEY, manager_no bigint, name text, dept text, grade smallint);
        CREATE TABLE sales (id bigserial PRIMARY KEY, emp_no bigint, sold_at timestamptz, amount numeric(12,2),
                            product text);
        INSERT INTO employees VALUES (1, NULL, 'Ada', 'exec', 9), (2, 1, 'Bo', 'sales', 5), (3, 2, 'Cy', 'sales', 3),
                                     (4, 2, 'Di', 'ops', 3);
        INSERT INTO sales (emp_no, sold_at, amount, product) VALUES
            (3, '2024-03-30 22:30:00+00', 10.25, 'pen'),   -- 2024-03-30 23:30 in Berlin
            (3, '2024-03-30 23:30:00+00', 5.00, 'ink'),    -- 2024-03-31 00:30 in Berlin, the DST night
            (4, '2024-03-31 12:00:00+00', 1.10, 'pen'),
            (2, '2024-03-31 12:00:00+00', 100.00, NULL);
        """

    struct Binary {
        var path: String

        /// Runs the binary to completion: exit status and standard error.
        func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        /// Runs `body` with the port of a `serve` started with `arguments`, stopped afterwards whatever happens.
        func serving<T>(_ arguments: [String], _ body: (Int) async throws -> T) async throws -> T {
            let (process, port) = try serve(arguments)
            defer {
                process.terminate()
                process.waitUntilExit()
            }
            return try await body(port)
        }

        /// Starts `serve` and returns the process and the port it listens on.
        func serve(_ arguments: [String]) throws -> (Process, Int) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw TestSetupError("serve exited before listening") }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard
                let port = text.split(separator: ":").last.flatMap({
                    Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
                })
            else { throw TestSetupError("unexpected first line of serve: \(text)") }
            return (process, port)
        }
    }

    static func binary() throws -> Binary {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        let path = folder.appendingPathComponent("arbor-server").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("arbor-server is not built in \(folder.path): run `swift build --build-tests` first")
        }
        return Binary(path: path)
    }

    /// Calls FilteredStats on a served model once its snapshot is loaded.
    static func stats(port: Int, _ request: ArborV2.FilteredStatsRequest) async throws -> ArborV2.FilteredStatsResponse
    {
        let connection = try await GRPCClientConnection.connect(host: "127.0.0.1", port: port)
        do {
            for _ in 0..<500 {
                let health = try await connection.unary(
                    path: "/grpc.health.v1.Health/Check", request: GRPCHealthV1.HealthCheckRequest(),
                    as: GRPCHealthV1.HealthCheckResponse.self)
                if health.status == .serving { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let response = try await connection.unary(
                path: "/arbor.v2.Hierarchy/FilteredStats", request: request, as: ArborV2.FilteredStatsResponse.self)
            await connection.close()
            return response
        } catch {
            await connection.close()
            throw error
        }
    }

    @Test func aModelChangeIsAMigrateAndARestart() async throws {
        let binary = try Self.binary()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbor-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelFile = folder.appendingPathComponent("arbor.yaml").path
        try Self.firstModel.write(toFile: modelFile, atomically: true, encoding: .utf8)

        try await TestDatabase.with { configuration in
            try await TestDatabase.withClient(on: configuration) { client in
                try await client.withConnection { connection in
                    // One statement at a time: bound-parameter execution takes one.
                    for statement in Self.tables.split(separator: ";\n") { try connection.execute(String(statement)) }
                }
            }
            // Keyword form (host, port, dbname, user): the test cluster needs no password.
            let database = ["--database-url", configuration.description]

            // Not installed yet: serve refuses and names the command.
            var result = try binary.run(["serve", "--model", modelFile] + database)
            #expect(result.status == 1)
            #expect(result.stderr.contains("arbor-server migrate --model \(modelFile)"), "\(result.stderr)")

            result = try binary.run(["migrate", "--model", modelFile] + database)
            #expect(result.status == 0, "\(result.stderr)")
            var request = ArborV2.FilteredStatsRequest(root: "1", groupBy: ["day"])
            var answer = try await binary.serving(["--model", modelFile] + database) { port in
                try await Self.stats(port: port, request)
            }
            #expect(answer.rows.map(\.keys) == [["2024-03-30"], ["2024-03-31"]])
            #expect(answer.totals == [4])

            // The running deployment's model gains a dimension and a measure: serve refuses until migrate runs.
            try Self.changedModel.write(toFile: modelFile, atomically: true, encoding: .utf8)
            result = try binary.run(["serve", "--model", modelFile] + database)
            #expect(result.status == 1)
            #expect(result.stderr.contains("differs"), "\(result.stderr)")
            result = try binary.run(["migrate", "--model", modelFile] + database)
            #expect(result.status == 0, "\(result.stderr)")
            request.groupBy = ["product"]
            request.measures = ["count", "amount"]
            answer = try await binary.serving(["--model", modelFile] + database) { port in
                try await Self.stats(port: port, request)
            }
            #expect(answer.rows.map(\.keys) == [[""], ["ink"], ["pen"]])
            #expect(answer.rows.map(\.values) == [[1, 10000], [1, 500], [2, 1135]])
            #expect(answer.totals == [4, 11635])
        }
    }
}
