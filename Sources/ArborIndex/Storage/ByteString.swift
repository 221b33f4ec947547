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
        sameBytes(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Byte order, the order of `COLLATE "C"`.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Whether two strings hold the same UTF-8 bytes.
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs
        var right = rhs
        return left.withUTF8 { a in right.withUTF8 { b in a.elementsEqual(b) } }
    }
}
