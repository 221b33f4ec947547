/// What ``MigrationRunner/migrate(timeZone:)`` did.
public struct MigrationReport: Sendable {
    /// Migrations applied by this run, in order.
    public var applied: [Migration]
    /// Versions that were already applied before this run.
    public var alreadyApplied: [Int]
    /// The organisation's time zone after the run; `nil` only when the migrations applied do not define
    /// `arbor.settings`.
    public var timeZone: String?
    /// Whether this run changed the time zone (and so rebuilt the rollups).
    public var timeZoneChanged: Bool
}

/// How a database's recorded schema compares with this binary's migrations.
public struct SchemaStatus: Sendable, Hashable {
    /// Versions recorded in `arbor.schema_migrations` (empty for a database never migrated).
    public var appliedVersions: [Int]
    /// Versions this binary knows.
    public var knownVersions: [Int]

    /// Known migrations not yet applied.
    public var pendingVersions: [Int] { self.knownVersions.filter { !self.appliedVersions.contains($0) } }
    /// Whether the database has everything this binary expects.
    public var isCurrent: Bool { self.pendingVersions.isEmpty }
}
