/// A string compared and hashed by its UTF-8 bytes, as PostgreSQL compares `text` under `COLLATE "C"`.
///
/// Swift's `String` equality is Unicode canonical equivalence, which would merge byte-wise different values that
/// the database keeps apart; dictionary encoding goes through this wrapper so that it never does.
struct ByteString: Hashable, Sendable {
    var string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
    }

    /// Byte order, the order of `COLLATE "C"`.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
