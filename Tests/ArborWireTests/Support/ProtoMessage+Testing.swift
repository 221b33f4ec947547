import ArborWire

extension ProtoMessage {
    /// Whether `other` is a message of the same type with equal fields.
    func isEqual(to other: any ProtoMessage) -> Bool {
        (other as? Self) == self
    }

    /// Decodes `bytes` as a message of this type, through the existential.
    static func decoded(from bytes: [UInt8]) throws(WireError) -> any ProtoMessage {
        try Self(serializedBytes: bytes)
    }
}
