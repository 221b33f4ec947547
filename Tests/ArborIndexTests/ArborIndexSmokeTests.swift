import Testing

@testable import ArborIndex

@Suite struct ArborIndexSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
