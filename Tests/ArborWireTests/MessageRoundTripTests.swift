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

    @Test func emptyNestedMessageIsPresentAndDistinctFromAbsent() throws {
        let present = ArborV1.DescendantsRequest(freshness: .init())
        #expect(present.serializedBytes() == hexBytes("3200"))
        let decoded = try ArborV1.DescendantsRequest(serializedBytes: hexBytes("3200"))
        #expect(decoded.freshness == ArborV1.Freshness())
        #expect(try ArborV1.DescendantsRequest(serializedBytes: []).freshness == nil)
    }

    @Test func optionalFalseIsEncodedAndAbsentIsNot() throws {
        #expect(ArborV1.UserFilter(active: false).serializedBytes() == hexBytes("3000"))
        #expect(ArborV1.UserFilter(active: nil).serializedBytes() == [])
        #expect(ArborV1.UserFilter(appInstalled: true).serializedBytes() == hexBytes("3801"))
        #expect(try ArborV1.UserFilter(serializedBytes: hexBytes("3000")).active == false)
        #expect(try ArborV1.UserFilter(serializedBytes: []).active == nil)
    }

    @Test func unknownEnumNumbersSurviveARoundTrip() throws {
        let request = ArborV1.FilteredStatsRequest(groupBy: [.day, .unrecognized(42), .unrecognized(-3)])
        let decoded = try ArborV1.FilteredStatsRequest(serializedBytes: request.serializedBytes())
        #expect(decoded.groupBy.map(\.rawValue) == [1, 42, -3])
        #expect(decoded.groupBy[1] == .unrecognized(42))
        #expect(ArborV1.Dimension(rawValue: 1) == .unrecognized(1), "equality compares numbers")
        #expect(ArborV1.Dimension.unrecognized(1).rawValue == ArborV1.Dimension.day.rawValue)
        #expect(ArborV1.Metric(rawValue: 5) == .downlineRole)
        #expect(GRPCHealthV1.HealthCheckResponse.ServingStatus(rawValue: 3) == .serviceUnknown)
        #expect("\(ArborV1.Source(rawValue: 12))" == "Source(12)")
        #expect("\(ArborV1.Source.live)" == "LIVE")
    }
}
