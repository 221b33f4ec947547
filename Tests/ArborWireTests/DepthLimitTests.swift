import ArborWire
import Testing

/// A recursive message (`message Node { repeated Node children = 1; uint32 value = 2; }`); the contract's
/// messages nest only three deep, so the limit is exercised with this one.
private struct Node: ProtoMessage {
    static let protoMessageName = "test.Node"
    var children: [Node] = []
    var value: UInt32 = 0

    mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: children.append(try reader.readMessage(tag, field: "children"))
            case 2: value = try reader.readUInt32(tag, field: "value")
            default: try reader.skipField(tag)
            }
        }
    }

    func encodeFields(into writer: inout ProtoWriter) {
        writer.writeRepeatedMessage(children, field: 1)
        writer.writeUInt32(value, field: 2)
    }
}

/// `levels` nested `children` fields around a node with value 7, built without the writer.
private func nested(_ levels: Int) -> [UInt8] {
    var bytes: [UInt8] = [0x10, 0x07]
    for _ in 0..<levels {
        bytes = [0x0a] + varintBytes(UInt64(bytes.count)) + bytes
    }
    return bytes
}

@Suite struct DepthLimitTests {
    @Test func nestingUpToTheDefaultLimitDecodes() throws {
        var node = try Node(serializedBytes: nested(ProtoReader.defaultMaxDepth))
        for _ in 0..<ProtoReader.defaultMaxDepth {
            node = try #require(node.children.first)
        }
        #expect(node.value == 7)
    }

    @Test(arguments: [ProtoReader.defaultMaxDepth + 1, 10_000])
    func nestingPastTheDefaultLimitThrows(levels: Int) {
        let error = #expect(throws: WireError.self) { try Node(serializedBytes: nested(levels)) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.fieldPath == ["Node"] + Array(repeating: "children", count: ProtoReader.defaultMaxDepth + 1))
        #expect(error?.detail == "messages are nested more than 100 levels deep")
    }

    @Test(arguments: [(0, 0, true), (0, 1, false), (3, 3, true), (3, 4, false)])
    func aCallerChosenLimitIsEnforced(maxDepth: Int, levels: Int, decodes: Bool) {
        let bytes = nested(levels)
        do {
            _ = try bytes.withUnsafeBytes { buffer in try Node(serializedBuffer: buffer, maxDepth: maxDepth) }
            #expect(decodes)
        } catch {
            #expect(!decodes)
            #expect((error as? WireError)?.code == .depthLimitExceeded)
        }
    }

    @Test func siblingsDoNotAddDepth() throws {
        // 1000 children side by side are one level deep.
        let child = [UInt8]([0x0a, 0x02, 0x10, 0x01])
        let bytes = Array(repeating: child, count: 1000).joined()
        let node = try Node(serializedBytes: Array(bytes))
        #expect(node.children.count == 1000)
    }
}
