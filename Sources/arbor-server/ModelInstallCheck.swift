import ArborModel
import ArborStore
import Foundation

/// Refuses to serve a model the database was not installed for: `serve` calls it once it has the resolved model
/// and before it loads a snapshot. Nothing is changed in the database.
///
/// - Parameter modelPath: the model file as given (`--model` or `ARBOR_MODEL`), quoted in the message; `nil` for the
///   built-in war-story model, which `arbor-server migrate` installs without `--model`.
/// - Throws: ``ModelNotInstalled`` (printed by ArgumentParser, exit code 1) when no model, another model, or an
///   incomplete installation is found, saying which `migrate` to run; a ``StoreError`` when the database cannot be
///   read.
func requireInstalledModel(_ model: ResolvedModel, modelPath: String?, client: PostgresClient) async throws {
    let command = modelPath.map { "arbor-server migrate --model \(shellQuoted($0))" } ?? "arbor-server migrate"
    do {
        try await client.withConnection { connection in
            try ModelInstallation.check(model, on: connection, migrateCommand: command)
        }
    } catch let error as StoreError where error.code == .schemaMismatch {
        throw ModelNotInstalled(message: "serve: \(error.message)")
    }
}

/// The database does not have Arbor's objects for the model being served.
struct ModelNotInstalled: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// `path` as one shell word, so the command in a message can be pasted as it is.
func shellQuoted(_ path: String) -> String {
    let plain = path.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("/._-+=:,@".utf8).contains(byte)
    }
    if plain && !path.isEmpty { return path }
    return "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
