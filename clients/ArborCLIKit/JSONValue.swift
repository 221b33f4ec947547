/// A JSON value whose objects keep their keys in the order given, so that output is stable (golden files, diffs).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.compact == rhs.compact }
    public func hash(into hasher: inout Hasher) { hasher.combine(compact) }

    /// One line, no spaces.
    public var compact: String {
        var text = ""
        write(into: &text, indent: nil, level: 0)
        return text
    }

    /// Indented by two spaces per level; arrays of scalars and empty containers stay on one line.
    public var pretty: String {
        var text = ""
        write(into: &text, indent: "  ", level: 0)
        return text
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(into text: inout String, indent: String?, level: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .uint(let value): text += String(value)
        case .string(let value): Self.writeString(value, into: &text)
        case .array(let values):
            guard !values.isEmpty else { return text += "[]" }
            guard let indent, !values.allSatisfy(\.isScalar) else {
                text += "["
                for (index, value) in values.enumerated() {
                    if index > 0 { text += indent == nil ? "," : ", " }
                    value.write(into: &text, indent: nil, level: 0)
                }
                return text += "]"
            }
            text += "[\n"
            for (index, value) in values.enumerated() {
                text += String(repeating: indent, count: level + 1)
                value.write(into: &text, indent: indent, level: level + 1)
                text += index + 1 < values.count ? ",\n" : "\n"
            }
            text += String(repeating: indent, count: level) + "]"
        case .object(let members):
            guard !members.isEmpty else { return text += "{}" }
            guard let indent else {
                text += "{"
                for (index, (key, value)) in members.enumerated() {
                    if index > 0 { text += "," }
                    Self.writeString(key, into: &text)
                    text += ":"
                    value.write(into: &text, indent: nil, level: 0)
                }
                return text += "}"
            }
            text += "{\n"
            for (index, (key, value)) in members.enumerated() {
                text += String(repeating: indent, count: level + 1)
                Self.writeString(key, into: &text)
                text += ": "
                value.write(into: &text, indent: indent, level: level + 1)
                text += index + 1 < members.count ? ",\n" : "\n"
            }
            text += String(repeating: indent, count: level) + "}"
        }
    }

    static func writeString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
