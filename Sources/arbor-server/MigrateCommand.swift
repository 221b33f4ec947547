import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "(being built)")

    func run() async throws {
        throw ValidationError("'migrate' is not available in this build yet")
    }
}
