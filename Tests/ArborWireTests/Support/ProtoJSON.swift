import ArborWire
import Foundation

/// The proto3 JSON form of `message` (field names as in the .proto, bytes as base64, 64-bit integers as strings,
/// enums by number), built by reflection so that it is independent of the codec under test.
func protoJSON(_ message: any ProtoMessage) -> [String: Any] {
    var object: [String: Any] = [:]
    for child in Mirror(reflecting: message).children {
        guard let label = child.label, let value = jsonValue(child.value) else { continue }
        object[renamedFields[label] ?? snakeCase(label)] = value
    }
    return object
}

/// Swift properties whose proto name is not their name in snake case (`self` cannot be a Swift property).
private let renamedFields = ["selfMeasures": "self", "treeMeasures": "tree"]

/// The JSON value for one field, or `nil` when the field is unset or empty.
private func jsonValue(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        return mirror.children.first.flatMap { jsonValue($0.value) }
    }
    // An empty array casts to any element type, so deal with empty collections before casting.
    if mirror.displayStyle == .collection && mirror.children.isEmpty { return nil }
    if mirror.displayStyle == .dictionary && mirror.children.isEmpty { return nil }
    switch value {
    case let map as [String: String]: return map
    case let bytes as [UInt8]: return Data(bytes).base64EncodedString()
    case let values as [Any]: return values.map { jsonValue($0) ?? jsonDefault($0) }
    case let message as any ProtoMessage: return protoJSON(message)
    case let value as any ProtoEnum: return Int(value.rawValue)
    case let value as String: return value
    case let value as Bool: return value
    case let value as UInt32: return Int(value)
    case let value as UInt64: return String(value)
    case let value as Int64: return String(value)
    default: preconditionFailure("no JSON mapping for \(type(of: value))")
    }
}

/// An element of a repeated field that is at its default still has to appear in the JSON list.
private func jsonDefault(_ value: Any) -> Any {
    switch value {
    case is any ProtoMessage: return [String: Any]()
    case is String: return ""
    default: preconditionFailure("no default JSON element for \(type(of: value))")
    }
}

/// `userID` → `user_id`, `asOfUnixMs` → `as_of_unix_ms`.
private func snakeCase(_ name: String) -> String {
    var result = ""
    var previous: Character?
    for character in name {
        if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
            result.append("_")
        }
        result.append(contentsOf: character.lowercased())
        previous = character
    }
    return result
}
