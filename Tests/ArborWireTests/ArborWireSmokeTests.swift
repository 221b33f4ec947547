import Testing

@testable import ArborWire

@Suite struct ArborWireSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
