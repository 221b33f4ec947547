import ArborWire
import Testing

@testable import ArborHTTP2

/// The server's per-call lifecycle, without sockets: events in, decisions out.
@Suite struct ServerCallStateMachineTests {
    static let path = "/pkg.Service/Method"
    static let grpcHeaders: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "x"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ]

    static func machine(_ headers: [(String, String)] = grpcHeaders) -> ServerCallStateMachine {
        var machine = ServerCallStateMachine(maximumHeaderListSize: 8192)
        for (name, value) in headers {
            Array(name.utf8).withUnsafeBufferPointer { name in
                Array(value.utf8).withUnsafeBufferPointer { value in machine.receiveHeader(name: name, value: value) }
            }
        }
        return machine
    }

    static func lookup(_ path: String) -> RPCRouter.Method? {
        path == Self.path ? .unary({ request, _ in request }) : nil
    }

    static func data(_ machine: inout ServerCallStateMachine, _ bytes: [UInt8]) -> (RPCStatus, String)? {
        bytes.withUnsafeBytes { machine.receiveData($0) }
    }

    @Test func aValidCallStartsTheHandlerWithItsMessage() throws {
        var machine = Self.machine(Self.grpcHeaders + [("grpc-timeout", "2S")])
        guard case .accept(let timeout) = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup) else {
            Issue.record("expected accept")
            return
        }
        #expect(timeout?.duration == .seconds(2))
        let framed = GRPCMessageFramer.frame([1, 2, 3])
        #expect(Self.data(&machine, Array(framed.prefix(4))) == nil)
        #expect(Self.data(&machine, Array(framed.dropFirst(4))) == nil)
        guard case .start(_, let request, let message) = machine.requestEnd() else {
            Issue.record("expected start")
            return
        }
        #expect(request.path == Self.path)
        #expect(message == [1, 2, 3])
        #expect(machine.isRunning)

        #expect(machine.sendMessage() == .startResponse)
        #expect(machine.sendMessage() == .continueResponse)
        #expect(machine.finish() == .trailers)
        #expect(machine.finish() == .drop)
        #expect(machine.sendMessage() == .drop)
    }

    @Test func aHandlerThatSendsNothingEndsTrailersOnly() {
        var machine = Self.machine()
        _ = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup)
        _ = Self.data(&machine, GRPCMessageFramer.frame([]))
        guard case .start = machine.requestEnd() else {
            Issue.record("expected start")
            return
        }
        #expect(machine.finish() == .trailersOnly)
        #expect(machine.hasResponded)
    }

    @Test(
        arguments: [
            ([(":method", "GET")], 405), ([("content-type", "text/html")], 415),
        ] as [([(String, String)], Int)])
    func nonGRPCRequestsGetHTTPStatuses(overrides: [(String, String)], status: Int) {
        let names = Set(overrides.map(\.0))
        var machine = Self.machine(Self.grpcHeaders.filter { !names.contains($0.0) } + overrides)
        guard case .rejectHTTP(let code) = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup)
        else {
            Issue.record("expected an HTTP rejection")
            return
        }
        #expect(code == status)
        #expect(machine.finish() == .drop)
        guard case .none = machine.requestEnd() else {
            Issue.record("a rejected call must not start")
            return
        }
    }

    @Test func unknownPathFailsUnimplementedAtOnce() {
        var machine = Self.machine(Self.grpcHeaders.map { $0.0 == ":path" ? (":path", "/x.Y/Z") : $0 })
        guard case .fail(let status, _) = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup) else {
            Issue.record("expected fail")
            return
        }
        #expect(status == .unimplemented)
        #expect(Self.data(&machine, GRPCMessageFramer.frame([1])) == nil)
        #expect(machine.finish() == .drop)
    }

    @Test(
        arguments: [
            ("over the limit", [0, 0, 0, 0, 101], RPCStatus.resourceExhausted),
            ("compressed", [1, 0, 0, 0, 1, 0], .internal),
            ("two messages", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .internal),
        ] as [(String, [UInt8], RPCStatus)])
    func badBodiesAreAnsweredAsTheyArrive(name: String, body: [UInt8], status: RPCStatus) {
        var machine = Self.machine()
        _ = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup)
        #expect(Self.data(&machine, body)?.0 == status, "\(name)")
        #expect(machine.hasResponded)
        guard case .none = machine.requestEnd() else {
            Issue.record("an answered call must not start")
            return
        }
    }

    @Test(arguments: [("no message", [] as [UInt8]), ("truncated", [0, 0, 0, 0, 5, 1])])
    func requestsEndingWithoutOneWholeMessageFailInternal(name: String, body: [UInt8]) {
        var machine = Self.machine()
        _ = machine.headersComplete(maximumMessageSize: 100, lookup: Self.lookup)
        _ = Self.data(&machine, body)
        guard case .fail(let status, _) = machine.requestEnd() else {
            Issue.record("expected fail for \(name)")
            return
        }
        #expect(status == .internal)
        #expect(machine.requestEnded)
        #expect(machine.finish() == .drop)
    }
}
