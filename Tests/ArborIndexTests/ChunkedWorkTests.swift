import Testing

@testable import ArborIndex

/// Whole-snapshot passes split over the cores give exactly what one inline pass gives, at every size around the
/// chunking threshold and chunk boundaries.
@Suite struct ChunkedWorkTests {
    @Test(arguments: [0, 1, 100, 16383, 16384, 16385, 50_000, 100_003])
    func chunkedMapEqualsSequentialMap(count: Int) {
        let values = ChunkedWork.map(count: count) { range in range.map { UInt64($0) &* 2_654_435_761 } }
        #expect(values == (0..<count).map { UInt64($0) &* 2_654_435_761 })
    }
}
