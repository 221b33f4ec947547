import ArborWire
import Testing

@Suite struct MessageRoundTripTests {
    @Test(arguments: messageSamples)
    func decodingTheEncodingGivesTheSameValue(sample: MessageSample) throws {
        let bytes = sample.message.serializedBytes()
        let decoded = try type(of: sample.message).decoded(from: bytes)
        #expect(sample.message.isEqual(to: decoded))
    }

    @Test(arguments: messageSamples)
    func decodingFromABufferMatchesDecodingFromAnArray(sample: MessageSample) throws {
        let bytes = sample.message.serializedBytes()
        let type = type(of: sample.message)
        let fromBuffer = try bytes.withUnsafeBytes { buffer throws(WireError) in
            try type.init(serializedBuffer: buffer)
        }
        #expect(sample.message.isEqual(to: fromBuffer))
        // A non-contiguous collection takes the copying path.
        let fromSequence = try type.init(serializedBytes: bytes.lazy.map { $0 })
        #expect(sample.message.isEqual(to: fromSequence))
    }

    @Test(arguments: messageSamples)
    func serializeAppendsAfterExistingBytes(sample: MessageSample) {
        var bytes: [UInt8] = [0, 0, 0, 0, 9]
        sample.message.serialize(appendingTo: &bytes)
        #expect(bytes == [0, 0, 0, 0, 9] + sample.message.serializedBytes())
    }

    @Test(arguments: allMessageTypes.map { MessageSample($0.protoMessageName, $0.init()) })
    func defaultValuesEncodeToNothing(sample: MessageSample) throws {
        #expect(sample.message.serializedBytes().isEmpty)
        let decoded = try type(of: sample.message).decoded(from: [])
        #expect(sample.message.isEqual(to: decoded))
    }

    @Test func populatedSamplesCoverEveryMessageType() {
        let populated = messageSamples.filter { !$0.message.serializedBytes().isEmpty }
        let names = Set(populated.map { type(of: $0.message).protoMessageName })
        #expect(names == Set(allMessageTypes.map { $0.protoMessageName }))
    }

    @Test func enumsCompareByNumberAndPrintTheirNames() {
        #expect(ArborV2.Metric(rawValue: 5) == .downlineMatching)
        #expect(ArborV2.Metric.unrecognized(4) == .downlineSize, "equality compares numbers")
        #expect(ArborV2.Metric.unrecognized(4).rawValue == ArborV2.Metric.downlineSize.rawValue)
        #expect(GRPCHealthV1.HealthCheckResponse.ServingStatus(rawValue: 3) == .serviceUnknown)
        #expect("\(ArborV2.Source(rawValue: 12))" == "Source(12)")
        #expect("\(ArborV2.Source.live)" == "LIVE")
    }

    @Test func v2SamplesSetEveryFieldAtLeastOnce() {
        var set = Set<String>()
        for sample in messageSamplesV2 { collectSetFields(of: sample.message, into: &set) }
        let v2Types = allMessageTypes.filter { $0.protoMessageName.hasPrefix("arbor.v2.") }
        let every = Set(
            v2Types.flatMap { type in
                Mirror(reflecting: type.init()).children.map { "\(type.protoMessageName).\($0.label!)" }
            })
        #expect(every.subtracting(set).sorted() == [])
    }

    @Test func v2EmptyNestedMessageIsPresentAndDistinctFromAbsent() throws {
        // TraversalRequest.freshness is field 8; NodesChunk.ids and .parents are fields 1 and 3.
        #expect(ArborV2.TraversalRequest(freshness: .init()).serializedBytes() == hexBytes("4200"))
        #expect(try ArborV2.TraversalRequest(serializedBytes: hexBytes("4200")).freshness == ArborV2.Freshness())
        #expect(try ArborV2.TraversalRequest(serializedBytes: []).freshness == nil)
        #expect(ArborV2.NodesChunk(ids: .init(), parents: .init()).serializedBytes() == hexBytes("0a00 1a00"))
        let chunk = try ArborV2.NodesChunk(serializedBytes: hexBytes("1a00"))
        #expect(chunk.ids == nil)
        #expect(chunk.parents == ArborV2.NodeIds())
    }

    @Test func v2MapsAndPackedInt64sHaveTheirExactBytes() throws {
        let row = ArborV2.LeaderboardRow(attributes: ["b": "", "a": "1"], selfMeasures: [-1, 1], treeMeasures: [0])
        let bytes = hexBytes("22 06 0a0161 120131  22 05 0a0162 1200  2a 0b ffffffffffffffffff01 01  32 01 00")
        #expect(row.serializedBytes() == bytes)
        #expect(try ArborV2.LeaderboardRow(serializedBytes: bytes) == row)
    }

    @Test func v2UnknownEnumNumbersSurviveARoundTrip() throws {
        let request = ArborV2.LeaderboardRequest(orderBy: .unrecognized(42))
        let decoded = try ArborV2.LeaderboardRequest(serializedBytes: request.serializedBytes())
        #expect(decoded.orderBy.rawValue == 42)
        #expect(decoded.orderBy == .unrecognized(42))
        let meta = try ArborV2.ResponseMeta(
            serializedBytes: ArborV2.ResponseMeta(source: .unrecognized(-2)).serializedBytes())
        #expect(meta.source.rawValue == -2)
        #expect(ArborV2.Metric(rawValue: 1) == .selfMeasure)
        #expect(ArborV2.Metric(rawValue: 2) == .treeMeasure)
        #expect(ArborV2.Metric(rawValue: 5) == .downlineMatching)
        #expect(ArborV2.Metric(rawValue: 3) == .unrecognized(3), "equality compares numbers")
        #expect("\(ArborV2.Metric.selfMeasure)" == "SELF")
        #expect("\(ArborV2.Metric(rawValue: -3))" == "Metric(-3)")
        #expect("\(ArborV2.Source(rawValue: 2))" == "LIVE")
    }
}

/// Adds `Type.field` for every field of `message` (and of the messages nested in it) that is not at its default.
private func collectSetFields(of message: any ProtoMessage, into set: inout Set<String>) {
    let name = type(of: message).protoMessageName
    let defaults = Mirror(reflecting: type(of: message).init()).children.map { String(describing: $0.value) }
    for (child, defaultValue) in zip(Mirror(reflecting: message).children, defaults) {
        if String(describing: child.value) != defaultValue { set.insert("\(name).\(child.label!)") }
        // Casting from `Any` looks through an optional, so this finds set optional messages too.
        switch child.value {
        case let nested as any ProtoMessage: collectSetFields(of: nested, into: &set)
        case let list as [any ProtoMessage]: for nested in list { collectSetFields(of: nested, into: &set) }
        default: break
        }
    }
}
