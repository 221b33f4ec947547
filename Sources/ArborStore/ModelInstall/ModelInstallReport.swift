/// What ``ModelInstaller/install(_:on:)`` did.
public struct ModelInstallReport: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        /// The database had no model installed; everything was created.
        case installed
        /// Another model was installed; what depends on the model was rebuilt.
        case rebuilt
        /// This model was installed but some of its objects were missing or disabled; they were rebuilt.
        case repaired
        /// This model was installed and complete; nothing was changed.
        case unchanged
    }

    /// What happened to one source's rollup.
    public struct Rollup: Sendable, Hashable {
        public enum Action: String, Sendable, Hashable {
            /// Created and filled from the source table.
            case built
            /// Its definition did not change, so it was kept as it was (the triggers kept it exact).
            case kept
        }

        public var source: String
        /// `arbor."rollup_<source>"`.
        public var table: String
        public var action: Action
        /// Rows in the rollup after the install.
        public var rows: Int64
    }

    public var outcome: Outcome
    /// The SHA-256 of the installed model's ``ModelFingerprint``.
    public var fingerprint: String
    /// The fingerprint installed before, if any.
    public var previousFingerprint: String?
    /// Each source's rollup, in model order (empty when ``outcome`` is ``Outcome/unchanged``).
    public var rollups: [Rollup] = []
    /// Rollups of sources the model no longer has (or whose definition changed), dropped.
    public var droppedRollups: [String] = []
    /// Application tables that now carry change-capture triggers, as `schema.table`.
    public var capturedTables: [String] = []
    /// Capture triggers dropped before the new ones were created (`trigger on table`).
    public var droppedTriggers: [String] = []
    /// Things an operator should know: e.g. a closed-values table that is a view, whose changes cannot be captured.
    public var notes: [String] = []
}
