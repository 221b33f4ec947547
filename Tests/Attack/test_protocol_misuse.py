"""Finding 7, transport: a WINDOW_UPDATE flood was never cut off; a 415 answer to a request with a body was lost
about 1 time in 5; HEADERS on a stream id lower than the previous one were silently ignored (h2spec 5.1.1/2 wants
GOAWAY PROTOCOL_ERROR); a 7 KB unknown path was echoed whole in `grpc-message`. Default limits."""

import collections
import threading
import time

from arbor_attack import (
    ATTACKER, ENHANCE_YOUR_CALM, GRPC_UNIMPLEMENTED, H2_ERRORS, HEALTH_CHECK, HIERARCHY, PROTOCOL_ERROR,
    H2Client, RawConnection, pb, priority, run_attackers, window_update)


def describe_end(connection):
    if connection.goaway is not None:
        return "GOAWAY " + H2_ERRORS.get(connection.goaway_code, str(connection.goaway_code))
    return "closed without GOAWAY" if connection.cut_off else "still open"


def test_control_frame_floods_are_cut_off(arbor):
    """WINDOW_UPDATE and PRIORITY floods (10,000 frames in one write) past `--max-control-frames` (1000/s, bursts of
    2000); beside them, a connection sending 100 WINDOW_UPDATEs a second is left alone."""
    server = arbor.server()
    floods = {
        "WINDOW_UPDATE": window_update(0, 1) * 10_000,
        "PRIORITY": b"".join(priority(1 + 2 * (i % 500)) for i in range(10_000)),
    }
    results = collections.defaultdict(collections.Counter)
    lock = threading.Lock()
    polite = {}

    def attacker(index):
        if index == 0:
            # The polite client: 100 WINDOW_UPDATEs a second for 2.5 s, then a Health check that must be answered.
            connection = RawConnection(server.port, source=ATTACKER)
            connection.start()
            for _ in range(25):
                connection.send(window_update(0, 1) * 10)
                connection.poll(0.1)
            connection.request(1, HEALTH_CHECK, b"")
            connection.wait(lambda: connection.stream(1).done, 5)
            polite["end"] = describe_end(connection)
            polite["health"] = connection.stream(1).describe()
            polite["status"] = connection.stream(1).grpc_status
            connection.close()
            return
        kind = list(floods)[index % 2]
        for _ in range(5):
            connection = RawConnection(server.port, source=ATTACKER)
            connection.start()
            connection.send(floods[kind])
            connection.wait_closed(3)
            with lock:
                results[kind][describe_end(connection)] += 1
            connection.close()

    with arbor.attack(server, "7", "WINDOW_UPDATE and PRIORITY floods, 10,000 frames a connection") as run:
        run_attackers(5, attacker)
        run.details = {kind: dict(c) for kind, c in results.items()} | {"polite": polite}
        run.outcome = "; ".join(f"{kind}: " + ", ".join(f"{k} ×{v}" for k, v in c.items())
                                for kind, c in results.items()) + f"; polite client: {polite.get('end')}"
        for kind, outcomes in results.items():
            assert set(outcomes) == {"GOAWAY " + H2_ERRORS[ENHANCE_YOUR_CALM]}, \
                f"{kind} flood not cut off with GOAWAY ENHANCE_YOUR_CALM: {dict(outcomes)}"
        assert polite.get("end") == "still open" and polite.get("status") == 0, \
            f"a client sending 100 WINDOW_UPDATEs a second was cut off: {polite}"


def test_a_415_to_a_request_with_a_body_always_arrives(arbor):
    """200 requests with `content-type: application/json` and a 40 KB body, on 4 connections: each must get its
    HTTP 415, whether the body is still on its way or not, and the server must let a body within the limits finish
    rather than reset the stream after answering (clients that take RST_STREAM for a failure drop the 415: the
    "lost" answers of the issue)."""
    server = arbor.server()
    body = b"{" * 40_000
    results = collections.Counter()
    lock = threading.Lock()

    def attacker(_):
        client = H2Client(server.port, source=ATTACKER)
        try:
            for _ in range(50):
                stream = client.open(HIERARCHY + "FindNodes", content_type="application/json")
                sent = 0
                deadline = time.monotonic() + 5
                while sent < len(body) and time.monotonic() < deadline and not client.streams[stream].done:
                    chunk = client.send(stream, body[sent:sent + 16384], end_stream=sent + 16384 >= len(body))
                    sent += chunk
                    client.poll(0 if chunk else 0.02)
                result = client.streams[stream]
                client.wait(lambda: result.done, 5)
                with lock:
                    results[result.describe() if result.headers else "no answer: " + result.describe()] += 1
        finally:
            client.close()

    with arbor.attack(server, "7", "200 requests with a 40 KB body and a wrong content-type") as run:
        run_attackers(4, attacker)
        run.details = {"outcomes": dict(results)}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in results.most_common())
        answered = sum(v for k, v in results.items() if k.startswith("HTTP 415"))
        assert answered == 200, f"{200 - answered} of 200 requests did not get their 415: {dict(results)}"
        assert results == {"HTTP 415": 200}, f"415 answers followed by a reset of the stream: {dict(results)}"


def test_headers_on_a_lower_stream_id_end_the_connection(arbor):
    """h2spec 5.1.1/2: HEADERS on stream 5, then HEADERS on stream 3, on 40 connections."""
    server = arbor.server()
    request = pb().FindNodesRequest(label_prefix="Raj", limit=5).SerializeToString()
    outcomes = collections.Counter()

    with arbor.attack(server, "7", "HEADERS on a stream id lower than the previous one, 40 connections") as run:
        for _ in range(40):
            connection = RawConnection(server.port, source=ATTACKER)
            connection.start()
            connection.request(5, HIERARCHY + "FindNodes", request)
            connection.request(3, HIERARCHY + "FindNodes", request)
            connection.wait(lambda: connection.goaway is not None, 3)
            outcomes[describe_end(connection)] += 1
            connection.close()
        run.hold(2)
        run.details = {"outcomes": dict(outcomes)}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in outcomes.items())
        assert outcomes == {"GOAWAY " + H2_ERRORS[PROTOCOL_ERROR]: 40}, \
            f"HEADERS on a lower stream id not answered with GOAWAY PROTOCOL_ERROR: {dict(outcomes)}"


def test_a_huge_unknown_path_is_not_echoed_whole(arbor):
    """A 7 KB unknown path, 200 times on 4 connections: UNIMPLEMENTED with a grpc-message of at most 200 bytes."""
    server = arbor.server()
    path = "/no.such.Service/" + "A" * 7000
    results = []
    lock = threading.Lock()

    def attacker(_):
        connection = RawConnection(server.port, source=ATTACKER)
        connection.start()
        for i in range(50):
            stream = 1 + 2 * i
            connection.request(stream, path, b"")
            connection.wait(lambda: connection.stream(stream).done, 5)
            with lock:
                results.append(connection.stream(stream))
        connection.close()

    with arbor.attack(server, "7", "unknown 7 KB path, 200 requests") as run:
        run_attackers(4, attacker)
        run.hold(2)
        statuses = collections.Counter(r.describe() for r in results)
        longest = max((len((r.grpc_message or "").encode()) for r in results), default=0)
        run.details = {"outcomes": dict(statuses), "longest_grpc_message_bytes": longest}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in statuses.items()) + f"; grpc-message ≤ {longest} bytes"
        assert len(results) == 200
        assert statuses == {f"grpc-status {GRPC_UNIMPLEMENTED}": 200}, f"unexpected answers: {dict(statuses)}"
        assert longest <= 200, f"grpc-message of {longest} bytes: the path is echoed (limit 200)"
