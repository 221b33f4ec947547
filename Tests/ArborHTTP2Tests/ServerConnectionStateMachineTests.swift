import Testing

@testable import ArborHTTP2

@Suite struct ServerConnectionStateMachineTests {
    @Test func opensOnceDrainsOnceAndClosesOnce() {
        var machine = ServerConnectionStateMachine()
        let step1 = machine.activate()
        #expect(step1)
        let step2 = machine.activate()
        #expect(!step2)
        let step3 = machine.beginDraining()
        #expect(step3)
        let step4 = machine.beginDraining()
        #expect(!step4)
        #expect(machine.isDraining)
        let step5 = machine.requestClose(outputRunning: false)
        #expect(step5 == .closeNow)
        #expect(machine.isClosing)
        let step6 = machine.requestClose(outputRunning: false)
        #expect(step6 == .none)
        let step7 = machine.beginDraining()
        #expect(!step7)
    }

    @Test func aCloseAskedForWhileOutputRunsWaitsForTheOutput() {
        var machine = ServerConnectionStateMachine()
        _ = machine.activate()
        let step8 = machine.requestClose(outputRunning: true)
        #expect(step8 == .afterOutput)
        #expect(!machine.isClosing)
        #expect(machine.owesClose)
        let step9 = machine.requestClose(outputRunning: false)
        #expect(step9 == .closeNow)
        #expect(!machine.owesClose)
    }

    @Test func aCloseOwedFromInsideNghttp2IsPaidAfterTheNextOutput() {
        var machine = ServerConnectionStateMachine()
        _ = machine.activate()
        #expect(!machine.owesClose)
        machine.closeOnceOutputIsWritten()
        #expect(machine.owesClose)
        _ = machine.requestClose(outputRunning: false)
        machine.closeOnceOutputIsWritten()
        #expect(!machine.owesClose)
    }
}
