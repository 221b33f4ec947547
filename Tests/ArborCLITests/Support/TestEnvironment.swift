import Foundation
import Testing

/// What `scripts/test` provides. A missing variable fails the test (never a silent skip).
struct TestEnvironment {
    let databaseURL: String
    let postgresBin: String
    let python: String
    let repository: String
    /// The folder holding the built `arbor`, `arbor-load` and `arbor-server`.
    let binaries: URL

    static func load() throws -> TestEnvironment {
        let environment = ProcessInfo.processInfo.environment
        func require(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw TestSetupError("\(name) is not set: run these tests through scripts/test")
            }
            return value
        }
        return TestEnvironment(
            databaseURL: try require("ARBOR_TEST_DATABASE_URL"),
            postgresBin: try require("ARBOR_TEST_PG_BIN"),
            python: try require("ARBOR_TEST_PYTHON"),
            repository: try require("ARBOR_TEST_REPO"),
            binaries: try binaryFolder())
    }

    /// The test binary sits in the build's bin folder, next to the package's executables.
    static func binaryFolder() throws -> URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        // On Darwin the test binary is inside an .xctest bundle (Contents/MacOS).
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        for name in ["arbor", "arbor-load", "arbor-server"] {
            guard FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path) else {
                throw TestSetupError("\(name) is not built in \(folder.path): run `swift build --build-tests` first")
            }
        }
        return folder
    }

    func binary(_ name: String) -> String { binaries.appendingPathComponent(name).path }

    /// The same cluster, another database.
    func databaseURL(named database: String) -> String {
        guard let slash = databaseURL.lastIndex(of: "/") else { return databaseURL }
        var base = String(databaseURL[..<slash])
        var query = ""
        if let questionMark = databaseURL[slash...].firstIndex(of: "?") { query = String(databaseURL[questionMark...]) }
        base += "/" + database
        return base + query
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
