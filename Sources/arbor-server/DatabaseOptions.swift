import ArborStore
import ArgumentParser

/// `--database-url`, shared by `serve`, `migrate` and `seed-demo`.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL connection URL (postgresql://user@host:5432/db) or keyword string (host=… dbname=…).",
            discussion:
                "Falls back to the ARBOR_DATABASE_URL environment variable, then to libpq's own PG* variables "
                + "(PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, …).",
            valueName: "url"))
    var databaseURL: String?

    /// The configuration these options name.
    func configuration() throws -> PostgresConfiguration {
        do {
            return try PostgresConfiguration.resolve(databaseURL: self.databaseURL)
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }
}
