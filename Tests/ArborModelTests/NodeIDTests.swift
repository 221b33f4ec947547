import ArborModel
import Testing

/// Ids and values in their canonical wire forms, as the contract's fine print defines them.
@Suite struct NodeIDTests {
    struct Parse: Sendable, CustomStringConvertible {
        var text: String
        var type: NodeIDType
        /// The canonical form, or `nil` when the text must be refused.
        var canonical: String?
        var description: String { "\(type.name) \"\(text.prefix(20))\"" }
    }

    static let parses: [Parse] = [
        Parse(
            text: "3F0A6C1E-2B7D-4C1E-9A51-6F1B2C3D4E5F", type: .uuid, canonical: "3f0a6c1e-2b7d-4c1e-9a51-6f1b2c3d4e5f"
        ),
        Parse(
            text: "3f0a6c1e-2b7d-4c1e-9a51-6f1b2c3d4e5f", type: .uuid, canonical: "3f0a6c1e-2b7d-4c1e-9a51-6f1b2c3d4e5f"
        ),
        Parse(text: "3f0a6c1e2b7d4c1e9a516f1b2c3d4e5f", type: .uuid, canonical: nil),
        Parse(text: "{3f0a6c1e-2b7d-4c1e-9a51-6f1b2c3d4e5f}", type: .uuid, canonical: nil),
        Parse(text: "3f0a6c1e-2b7d-4c1e-9a51-6f1b2c3d4e5g", type: .uuid, canonical: nil),
        Parse(text: "", type: .uuid, canonical: nil),
        Parse(text: "0", type: .integer(.int64), canonical: "0"),
        Parse(text: "-17", type: .integer(.int64), canonical: "-17"),
        Parse(text: "9223372036854775807", type: .integer(.int64), canonical: "9223372036854775807"),
        Parse(text: "-9223372036854775808", type: .integer(.int64), canonical: "-9223372036854775808"),
        Parse(text: "9223372036854775808", type: .integer(.int64), canonical: nil),
        Parse(text: "32767", type: .integer(.int16), canonical: "32767"),
        Parse(text: "32768", type: .integer(.int16), canonical: nil),
        Parse(text: "2147483648", type: .integer(.int32), canonical: nil),
        Parse(text: "007", type: .integer(.int64), canonical: nil),
        Parse(text: "-0", type: .integer(.int64), canonical: nil),
        Parse(text: "+7", type: .integer(.int64), canonical: nil),
        Parse(text: " 7", type: .integer(.int64), canonical: nil),
        Parse(text: "7e3", type: .integer(.int64), canonical: nil),
        Parse(text: "", type: .integer(.int32), canonical: nil),
        Parse(text: "-", type: .integer(.int32), canonical: nil),
        Parse(text: "Raj Kumar", type: .text, canonical: "Raj Kumar"),
        Parse(text: " ", type: .text, canonical: " "),
        Parse(text: "", type: .text, canonical: nil),
        Parse(text: "a\u{0}b", type: .text, canonical: nil),
    ]

    @Test(arguments: parses) func idsParseOnlyInTheirCanonicalForm(_ parse: Parse) {
        do {
            let id = try NodeID.parse(parse.text, as: parse.type, field: "root")
            #expect(id.canonical == parse.canonical)
        } catch {
            #expect(parse.canonical == nil, "refused: \(error)")
            #expect(error.code == .invalidArgument && error.field == "root" && error.message.hasPrefix("root: "))
        }
    }

    @Test func idsOrderAsPostgreSQLOrdersTheColumn() throws {
        func sorted(_ texts: [String], _ type: NodeIDType) throws -> [String] {
            try texts.map { text throws(QueryError) in try NodeID.parse(text, as: type, field: "ids") }.sorted()
                .map(\.canonical)
        }
        #expect(try sorted(["10", "-3", "2", "0"], .integer(.int64)) == ["-3", "0", "2", "10"])
        #expect(try sorted(["b", "B", "a", "ä", "aa"], .text) == ["B", "a", "aa", "b", "ä"])
        #expect(
            try sorted(
                [
                    "ffffffff-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001",
                    "80000000-0000-0000-0000-000000000000",
                ], .uuid)
                == [
                    "00000000-0000-0000-0000-000000000001", "80000000-0000-0000-0000-000000000000",
                    "ffffffff-0000-0000-0000-000000000000",
                ])
    }

    @Test func aHugeRefusedValueIsNotEchoedWhole() {
        let huge = String(repeating: "9", count: 5000)
        #expect {
            try NodeID.parse(huge, as: .integer(.int64), field: "within")
        } throws: { error in
            (error as? QueryError).map { $0.message.utf8.count < 200 && $0.message.contains("5000 bytes") } ?? false
        }
    }

    struct Value: Sendable, CustomStringConvertible {
        var value: String
        var type: ValueType
        var valid: Bool
        var description: String { "\(type.name) \"\(value)\"" }
    }

    static let values: [Value] = [
        Value(value: "", type: .integer(.int32), valid: true),
        Value(value: "42", type: .integer(.int32), valid: true),
        Value(value: "042", type: .integer(.int32), valid: false),
        Value(value: "3000000000", type: .integer(.int32), valid: false),
        Value(value: "true", type: .boolean, valid: true),
        Value(value: "false", type: .boolean, valid: true),
        Value(value: "TRUE", type: .boolean, valid: false),
        Value(value: "1", type: .boolean, valid: false),
        Value(value: "", type: .boolean, valid: true),
        Value(value: "DPOC", type: .text, valid: true),
        Value(value: "x\u{0}", type: .text, valid: false),
    ]

    @Test(arguments: values) func matchValuesAreCheckedByType(_ value: Value) {
        do {
            try value.type.validate(value.value, field: "filter.values")
            #expect(value.valid)
        } catch {
            #expect(!value.valid)
            #expect(error.message.hasPrefix("filter.values: "))
        }
    }

    @Test func keysOrderWithNullFirstThenByType() {
        #expect(["10", "", "9", "-1"].sorted(by: ValueType.integer(.int64).orders) == ["", "-1", "9", "10"])
        #expect(["true", "", "false"].sorted(by: ValueType.boolean.orders) == ["", "false", "true"])
        #expect(["b", "", "B", "a"].sorted(by: ValueType.text.orders) == ["", "B", "a", "b"])
    }
}
