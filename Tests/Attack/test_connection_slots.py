"""Finding 4: one peer took every connection slot (1,024 connections, one open stream each, a byte a second) and
legitimate clients got UNAVAILABLE; a peer that floods SETTINGS and never reads stayed ESTABLISHED forever.

`--max-connections-per-peer` (default 64) closes the attacker's connections beyond it on accept, `--request-timeout`
ends a request that does not finish arriving (DEADLINE_EXCEEDED, or GOAWAY when its header block is unfinished), and
`--close-timeout` / `--send-timeout` close a connection that never reads."""

import collections
import threading
import time

import grpc

from arbor_attack import (
    ATTACKER, CONTINUATION, GRPC_DEADLINE_EXCEEDED, H2_ERRORS, HIERARCHY, PREFACE, SETTINGS_MAX_CONCURRENT_STREAMS,
    RawConnection, data_frames,
    frame, grpc_headers, grpc_message, header_block, headers_frame, pb, run_attackers, settings, wait_until)

PER_PEER = 64  # the default --max-connections-per-peer


def fresh_legit_calls(server, suite, count):
    """`count` new connections from 127.0.0.1, each making a Health check and a Descendants call: a legitimate
    client arriving while the attacker holds its connections. Returns the failures."""
    import health_pb2
    import health_pb2_grpc
    import arbor_pb2_grpc
    failures = []
    for _ in range(count):
        with grpc.insecure_channel(server.target, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
            try:
                health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
                list(arbor_pb2_grpc.HierarchyStub(channel).Descendants(
                    pb().TraversalRequest(root=suite.legit_root), timeout=5))
            except grpc.RpcError as e:
                failures.append(e.code().name)
    return failures


def test_one_peer_cannot_take_every_connection_slot(arbor, suite):
    """1,024 connections from one address, each with one request that dribbles a byte a second. Server flags:
    `--request-timeout 2s` (default 10 s) so the dribbling requests end within the test."""
    server = arbor.server("--request-timeout", "2s")
    attempts = 1024
    request = grpc_message(pb().FindNodesRequest(label_prefix="Raj", limit=5).SerializeToString())
    opening = (PREFACE + settings() + headers_frame(1, header_block(grpc_headers(HIERARCHY + "FindNodes")))
               + data_frames(1, request[:1]))

    with arbor.attack(server, "4", "1,024 connections from one address, one request each dribbling 1 byte/s") as run:
        connections = []
        refused_on_connect = 0
        for _ in range(attempts):
            try:
                connection = RawConnection(server.port, source=ATTACKER, timeout=2)
            except OSError:
                refused_on_connect += 1
                continue
            connection.send(opening)
            connections.append((connection, time.monotonic()))
        opened = time.monotonic()

        held_max = 0
        fresh_failures = []
        sent = 1
        while time.monotonic() - opened < 4.5:
            for connection, _ in connections:
                connection.poll(0)
            # A connection the server has accepted only to close it is briefly in its descriptor table too: count
            # what it holds once the storm of connects is over.
            if time.monotonic() - opened > 0.5:
                held_max = max(held_max, len(server.peer_sockets(ATTACKER)))
            if not fresh_failures and time.monotonic() - opened > 0.5 and sent == 1:
                fresh_failures = fresh_legit_calls(server, suite, 10) or [None]
            if time.monotonic() - opened > sent:
                for connection, _ in connections:
                    if not connection.cut_off and not connection.stream(1).done:
                        connection.send(data_frames(1, request[sent:sent + 1]))
                sent += 1
            time.sleep(0.05)
        fresh_failures = [f for f in fresh_failures if f]
        # Then everything the server sent (GOAWAY, trailers) is read, the survivors closed.
        for connection, _ in connections:
            connection.poll(0.001)
        survivors = [c for c, _ in connections if not c.cut_off]
        outcomes = collections.Counter(c.stream(1).describe() for c in survivors)
        for connection, _ in connections:
            connection.close()

        run.details = {"attempts": attempts, "refused_on_connect": refused_on_connect,
                       "cut_off": len(connections) - len(survivors), "survivors": len(survivors),
                       "survivor_streams": dict(outcomes), "server_held_max": held_max,
                       "fresh_legit_failures": fresh_failures}
        run.outcome = (f"server held ≤ {held_max} attacker connections; {attempts - len(survivors)} of {attempts} "
                       f"closed; survivors' requests: " + ", ".join(f"{k} ×{v}" for k, v in outcomes.items()))

        assert held_max <= PER_PEER, f"the server held {held_max} connections from one address"
        assert len(survivors) <= PER_PEER, f"{len(survivors)} attacker connections still open"
        deadline_exceeded = sum(1 for c in survivors if c.stream(1).grpc_status == GRPC_DEADLINE_EXCEEDED)
        assert deadline_exceeded == len(survivors), \
            f"dribbling requests not ended with DEADLINE_EXCEEDED after 2 s: {dict(outcomes)}"
        assert not fresh_failures, f"new legitimate connections failed during the attack: {fresh_failures}"


def test_an_unfinished_header_block_closes_the_connection(arbor):
    """Header blocks that never end (HEADERS without END_HEADERS, then a small CONTINUATION every 0.5 s). Server
    flags: `--request-timeout 2s`."""
    server = arbor.server("--request-timeout", "2s")
    block = header_block(grpc_headers(HIERARCHY + "FindNodes", extra=[("x-padding", "p" * 3000)]))
    first, rest = block[:100], block[100:]
    count = 16

    with arbor.attack(server, "4", f"{count} connections dribbling a header block (CONTINUATION every 0.5 s)") as run:
        connections = []
        for _ in range(count):
            # No SETTINGS ACK: inside a header block a client may send nothing but CONTINUATION.
            connection = RawConnection(server.port, source=ATTACKER, timeout=2, auto_ack=False)
            connection.send(PREFACE + settings() + headers_frame(1, first, end_headers=False))
            connections.append(connection)
        started = time.monotonic()
        offset = 0
        while time.monotonic() - started < 5 and not all(c.cut_off for c in connections):
            for connection in connections:
                connection.send(frame(CONTINUATION, 0, 1, rest[offset:offset + 20]))
                connection.poll(0)
            offset += 20
            time.sleep(0.5)
        for connection in connections:
            connection.wait_closed(0.5)
        goaway_after = [c.goaway_at - started for c in connections if c.goaway_at is not None]
        goaways = collections.Counter(" then ".join(H2_ERRORS.get(g[1], str(g[1])) for g in c.goaways)
                                      for c in connections)
        outcomes = collections.Counter(
            ("GOAWAY " + H2_ERRORS.get(c.goaway_code, str(c.goaway_code))) if c.goaway else
            ("closed without GOAWAY" if c.cut_off else "still open") for c in connections)
        for connection in connections:
            connection.close()
        run.details = {"outcomes": dict(outcomes), "goaway_sequences": dict(goaways)}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in outcomes.items()) + (
            f" after {min(goaway_after):.1f}-{max(goaway_after):.1f} s" if goaway_after else "")

        assert outcomes["still open"] == 0, f"connections with unfinished header blocks still open: {dict(outcomes)}"
        assert outcomes["GOAWAY ENHANCE_YOUR_CALM"] == count, \
            f"every connection should get GOAWAY ENHANCE_YOUR_CALM before it is closed: {dict(outcomes)}"
        assert max(goaway_after) < 2 + 2, f"GOAWAY only {max(goaway_after):.1f} s in (request timeout 2 s)"


def test_a_peer_that_never_reads_is_closed(arbor):
    """A SETTINGS flood from connections with a tiny receive buffer that never read a byte: the server's ACKs (and
    its GOAWAY) can never leave. Server flags: `--close-timeout 2s --send-timeout 2s` (defaults 5 s and 30 s)."""
    server = arbor.server("--close-timeout", "2s", "--send-timeout", "2s")
    count = 8
    flood = settings([(SETTINGS_MAX_CONCURRENT_STREAMS, 100)]) * 2000  # 30 KB of SETTINGS per write
    limit_seconds = 2 + 2 + 3  # close + send timeouts + slack

    with arbor.attack(server, "4", f"{count} connections flooding SETTINGS, never reading") as run:
        ports = {}
        lock = threading.Lock()

        def flooder(index):
            connection = RawConnection(server.port, source=ATTACKER, rcvbuf=4096, timeout=0.5, auto_ack=False)
            connection.send(PREFACE)
            frames = 0
            started = time.monotonic()
            # Write until the server stops reading (a write blocks) or 100k frames; never read.
            while frames < 100_000 and time.monotonic() - started < 3:
                if not connection.send(flood):
                    break
                frames += 2000
            with lock:
                ports[connection.local_port] = (connection, frames)

        run_attackers(count, flooder)
        flooded = time.monotonic()

        def held():
            return {remote[1] for _, remote, _ in server.peer_sockets(ATTACKER)} & set(ports)

        initially_held = len(held())
        released = wait_until(lambda: not held(), limit_seconds, interval=0.2)
        still_held = held()
        seconds = time.monotonic() - flooded
        for connection, _ in ports.values():
            connection.close()
        run.details = {"connections": count, "held_after_flood": initially_held, "still_held": len(still_held),
                       "frames_written": sorted(f for _, f in ports.values())}
        run.outcome = (f"{count - len(still_held)} of {count} released by the server "
                       f"{seconds:.1f} s after the flood" if released else
                       f"{len(still_held)} of {count} still held {limit_seconds} s after the flood")

        assert released, f"the server still holds {len(still_held)} connections that never read, " \
                         f"{limit_seconds} s after they stopped"
