import ArborModel
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

    /// A large demo-like snapshot goes through the parallel window sums; they must equal per-user sums.
    @Test func parallelWindowSumsEqualPerUserSums() throws {
        let users = (0..<40_000).map { UserRowFactory.user($0) }
        var builder = IndexSnapshotBuilder(roles: [], users: users, edges: [])
        let start = Day(iso: "2024-01-01")!
        for (index, user) in users.enumerated() {
            for offset in 0..<(index % 7) {
                builder.addRollup(
                    user: user.id, day: start.advanced(by: Int32(offset * 3 + index % 5)), registrationType: "T",
                    channel: nil, registrations: Int64(index % 300 + offset))
            }
        }
        let snapshot = try builder.build()
        let selection = snapshot.rollups.select(
            RegistrationFilter(from: start.advanced(by: 4), to: start.advanced(by: 12)))
        let sums = snapshot.rollups.sums(selection)
        #expect(sums.count == users.count)
        #expect(sums == (0..<users.count).map { snapshot.rollups.sum(of: $0, selection) })
        #expect(sums.contains { $0 > 0 })
    }
}

private enum UserRowFactory {
    static func user(_ index: Int) -> UserRow { UserRow(id: UserID(high: 7, low: UInt64(index))) }
}
