import ArborModel
import ArborWire

extension ArborV2.NodeIds {
    /// Ids in the field of their type: 16 bytes per UUID, packed integers, or texts.
    init(_ ids: some Collection<NodeID>) {
        self.init()
        for id in ids {
            switch id {
            case .uuid(let value):
                withUnsafeBytes(of: value.high.bigEndian) { uuids.append(contentsOf: $0) }
                withUnsafeBytes(of: value.low.bigEndian) { uuids.append(contentsOf: $0) }
            case .integer(let value): ints.append(value)
            case .text(let value): texts.append(value)
            }
        }
    }
}
