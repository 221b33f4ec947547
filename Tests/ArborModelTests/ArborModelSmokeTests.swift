import Testing

@testable import ArborModel

@Suite struct ArborModelSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
