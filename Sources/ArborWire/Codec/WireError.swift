/// A protobuf message could not be decoded: the input is malformed or breaks a limit.
///
/// ``message`` names the field the decoder was reading, as a path from the outermost message, for example
/// `DescendantsRequest.filter.roles: invalid UTF-8 in a string`. It describes the bytes only, so it is safe to
/// return to the caller that sent them.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of malformation was found. New codes may be added; match the ones you handle and default the rest.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case truncated
            case varintTooLong
            case lengthOutOfBounds
            case invalidFieldNumber
            case invalidWireType
            case unsupportedGroup
            case wrongWireType
            case invalidUTF8
            case depthLimitExceeded
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A varint, fixed-width value or tag runs past the end of the buffer.
        public static let truncated = Code(.truncated)
        /// A varint is longer than the 10 bytes a 64-bit value can take.
        public static let varintTooLong = Code(.varintTooLong)
        /// A length-delimited field declares more bytes than remain in its message.
        public static let lengthOutOfBounds = Code(.lengthOutOfBounds)
        /// A tag carries field number 0 or one above the protobuf maximum of 2^29 - 1.
        public static let invalidFieldNumber = Code(.invalidFieldNumber)
        /// A tag carries wire type 6 or 7, which protobuf does not define.
        public static let invalidWireType = Code(.invalidWireType)
        /// A tag carries the deprecated group wire types 3 or 4, which proto3 never produces.
        public static let unsupportedGroup = Code(.unsupportedGroup)
        /// A known field arrives with a wire type that does not fit its declared type.
        public static let wrongWireType = Code(.wrongWireType)
        /// A `string` field holds bytes that are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Messages are nested deeper than the decoder allows.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)

        public var description: String {
            switch wrapped {
            case .truncated: "truncated"
            case .varintTooLong: "varint too long"
            case .lengthOutOfBounds: "length out of bounds"
            case .invalidFieldNumber: "invalid field number"
            case .invalidWireType: "invalid wire type"
            case .unsupportedGroup: "unsupported group"
            case .wrongWireType: "wrong wire type"
            case .invalidUTF8: "invalid UTF-8"
            case .depthLimitExceeded: "depth limit exceeded"
            }
        }
    }

    /// What kind of malformation was found.
    public var code: Code

    /// Where the decoder was: the outermost message's name followed by field names (proto names), for example
    /// `["DescendantsRequest", "filter", "roles"]`. Just the message name when the problem is not inside a field.
    public var fieldPath: [String]

    /// What is wrong with the bytes at ``fieldPath``.
    public var detail: String

    public init(code: Code, fieldPath: [String], detail: String) {
        self.code = code
        self.fieldPath = fieldPath
        self.detail = detail
    }

    /// The field path and the detail in one sentence, for example
    /// `DescendantsRequest.root: length 40 runs past the end of the buffer`.
    public var message: String {
        fieldPath.isEmpty ? detail : "\(fieldPath.joined(separator: ".")): \(detail)"
    }

    public var description: String { message }

    /// The same error seen from an enclosing message: the path starts with the nested message's type name, which
    /// is replaced by the enclosing message's name (when known) and the field that holds the nested message.
    func nested(in messageName: String?, field: String) -> WireError {
        var copy = self
        copy.fieldPath = (messageName.map { [$0] } ?? []) + [field] + fieldPath.dropFirst()
        return copy
    }
}
