import ArgumentParser

/// `arbor-server`: the Arbor hierarchy-analytics service and its operator commands.
@main
struct ArborServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbor-server",
        abstract: "Arbor: hierarchy analytics over gRPC, served from an in-memory index refreshed from PostgreSQL.",
        subcommands: [ServeCommand.self, MigrateCommand.self, SeedDemoCommand.self, CheckModelCommand.self]
    )
}
