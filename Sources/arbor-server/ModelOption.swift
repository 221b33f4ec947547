import ArborModel
import ArborModelFile
import ArborStore
import ArgumentParser
import Foundation

/// `--model`: the model file that maps Arbor's nodes, hierarchy and events onto the organisation's own tables,
/// shared by every command that needs one.
struct ModelOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The model file (YAML); falls back to ARBOR_MODEL, then to the built-in war-story model.", valueName: "path"
        ))
    var model: String?

    /// The file given by `--model` or `ARBOR_MODEL`; `nil` means the built-in war-story model (``ModelFile/warStoryText``).
    var path: String? { model ?? ProcessInfo.processInfo.environment["ARBOR_MODEL"] }

    /// Reads the model, or prints its problems (each with its line) and exits 1.
    func load() throws -> ModelFile.Loaded {
        do {
            return try path.map { path throws(ModelProblems) in try ModelFile.read(contentsOf: path) } ?? .demo
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// Checks `loaded` against the database's catalog: the resolved model, or its problems (each with its line)
    /// printed and exit 1.
    static func resolve(_ loaded: ModelFile.Loaded, on client: PostgresClient) async throws -> ResolvedModel {
        let report = try await client.withConnection { connection in
            try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
        }
        guard let resolved = report.resolved, report.problems.isEmpty else {
            let problems = ModelProblems(
                file: loaded.file, problems: report.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
            FileHandle.standardError.write(Data((problems.description + "\n").utf8))
            throw ExitCode(1)
        }
        return resolved
    }
}
