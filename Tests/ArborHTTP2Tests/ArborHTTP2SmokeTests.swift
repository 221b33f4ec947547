import Testing

@testable import ArborHTTP2

@Suite struct ArborHTTP2SmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
