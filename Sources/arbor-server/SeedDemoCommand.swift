import ArgumentParser

struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-demo", abstract: "(being built)")

    func run() async throws {
        throw ValidationError("'seed-demo' is not available in this build yet")
    }
}
