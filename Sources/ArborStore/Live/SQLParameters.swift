/// Bound parameters of a statement being assembled: each value is appended here and its placeholder (`$n`) goes
/// into the SQL text, so request data never becomes SQL text.
struct SQLParameters {
    private(set) var binds: [PostgresBind] = []

    /// Appends `bind` and returns its placeholder.
    mutating func add(_ bind: PostgresBind) -> String {
        binds.append(bind)
        return "$\(binds.count)"
    }
}
