import ArborModel

extension Day {
    /// Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for `date` on the wire.
    static let postgresEpochOffset: Int32 = 10_957
}
