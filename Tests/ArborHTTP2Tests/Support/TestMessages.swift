import ArborWire

/// Swift forms of `Interop/arbor_test.proto`, written against ArborWire's codec like the contract's messages.
enum TestV1 {
    static let echoPath = "/arbor.test.v1.TestService/Echo"
    static let countPath = "/arbor.test.v1.TestService/Count"

    struct EchoRequest: ProtoMessage {
        static let protoMessageName = "arbor.test.v1.EchoRequest"
        var text = ""
        var failCode: Int32 = 0
        var failMessage = ""
        var sleepMilliseconds: UInt32 = 0
        var responseSize: UInt32 = 0

        init() {}

        init(
            text: String = "", failCode: Int32 = 0, failMessage: String = "", sleepMilliseconds: UInt32 = 0,
            responseSize: UInt32 = 0
        ) {
            self.text = text
            self.failCode = failCode
            self.failMessage = failMessage
            self.sleepMilliseconds = sleepMilliseconds
            self.responseSize = responseSize
        }

        mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: text = try reader.readString(tag, field: "text")
                case 2: failCode = try reader.readInt32(tag, field: "fail_code")
                case 3: failMessage = try reader.readString(tag, field: "fail_message")
                case 4: sleepMilliseconds = try reader.readUInt32(tag, field: "sleep_ms")
                case 5: responseSize = try reader.readUInt32(tag, field: "response_size")
                default: try reader.skipField(tag)
                }
            }
        }

        func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(text, field: 1)
            writer.writeInt32(failCode, field: 2)
            writer.writeString(failMessage, field: 3)
            writer.writeUInt32(sleepMilliseconds, field: 4)
            writer.writeUInt32(responseSize, field: 5)
        }
    }

    struct EchoResponse: ProtoMessage {
        static let protoMessageName = "arbor.test.v1.EchoResponse"
        var text = ""

        init() {}
        init(text: String) { self.text = text }

        mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: text = try reader.readString(tag, field: "text")
                default: try reader.skipField(tag)
                }
            }
        }

        func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(text, field: 1)
        }
    }

    struct CountRequest: ProtoMessage {
        static let protoMessageName = "arbor.test.v1.CountRequest"
        var count: UInt32 = 0
        var payloadSize: UInt32 = 0
        var failCode: Int32 = 0
        var failMessage = ""

        init() {}

        init(count: UInt32, payloadSize: UInt32 = 0, failCode: Int32 = 0, failMessage: String = "") {
            self.count = count
            self.payloadSize = payloadSize
            self.failCode = failCode
            self.failMessage = failMessage
        }

        mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: count = try reader.readUInt32(tag, field: "count")
                case 2: payloadSize = try reader.readUInt32(tag, field: "payload_size")
                case 3: failCode = try reader.readInt32(tag, field: "fail_code")
                case 4: failMessage = try reader.readString(tag, field: "fail_message")
                default: try reader.skipField(tag)
                }
            }
        }

        func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(count, field: 1)
            writer.writeUInt32(payloadSize, field: 2)
            writer.writeInt32(failCode, field: 3)
            writer.writeString(failMessage, field: 4)
        }
    }

    struct CountResponse: ProtoMessage {
        static let protoMessageName = "arbor.test.v1.CountResponse"
        var index: UInt32 = 0
        var payload: [UInt8] = []

        init() {}
        init(index: UInt32, payload: [UInt8]) {
            self.index = index
            self.payload = payload
        }

        mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: index = try reader.readUInt32(tag, field: "index")
                case 2: payload = try reader.readBytes(tag, field: "payload")
                default: try reader.skipField(tag)
                }
            }
        }

        func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(index, field: 1)
            writer.writeBytes(payload, field: 2)
        }
    }
}
