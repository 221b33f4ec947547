import ArborModel
import Testing

@testable import ArborService

@Suite struct FreshnessPolicyTests {
    let policy = FreshnessPolicy(defaultMaxStalenessMs: 5_000, staleIfErrorMs: 600_000)
    let snapshot = DataStamp(version: 1_000, asOfUnixMs: 1_000_000)

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var requirement: FreshnessRequirement
        var ageMs: Int64
        var route: FreshnessPolicy.Route
        var mayServeStale: Bool
    }

    static let cases: [Case] = [
        Case(
            description: "fresh, server default", requirement: .init(), ageMs: 5_000, route: .snapshot,
            mayServeStale: true),
        Case(
            description: "past the default bound", requirement: .init(), ageMs: 5_001, route: .live, mayServeStale: true
        ),
        Case(
            description: "caller's tighter bound", requirement: .init(maxStalenessMs: 100), ageMs: 101, route: .live,
            mayServeStale: true),
        Case(
            description: "caller's looser bound", requirement: .init(maxStalenessMs: 60_000), ageMs: 59_000,
            route: .snapshot, mayServeStale: true),
        Case(
            description: "require_live", requirement: .init(requireLive: true), ageMs: 0, route: .live,
            mayServeStale: false),
        Case(
            description: "min_version met", requirement: .init(minVersion: 1_000), ageMs: 0, route: .snapshot,
            mayServeStale: true),
        Case(
            description: "min_version ahead of the snapshot", requirement: .init(minVersion: 1_001), ageMs: 0,
            route: .live, mayServeStale: false),
        Case(
            description: "past the stale-if-error window", requirement: .init(), ageMs: 600_001, route: .live,
            mayServeStale: false),
    ]

    @Test(arguments: cases)
    func routesAndFallsBack(_ testCase: Case) {
        let now = snapshot.asOfUnixMs + testCase.ageMs
        #expect(policy.route(testCase.requirement, snapshot: snapshot, nowUnixMs: now) == testCase.route)
        #expect(
            policy.mayServeStale(testCase.requirement, snapshot: snapshot, nowUnixMs: now) == testCase.mayServeStale)
    }

    @Test func withoutSnapshotEverythingGoesLive() {
        #expect(policy.route(.init(), snapshot: nil, nowUnixMs: 0) == .live)
        #expect(policy.mayServeStale(.init(), snapshot: nil, nowUnixMs: 0) == false)
    }
}
