import Testing

@testable import ArborStore

@Suite struct ArborStoreSmokeTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
