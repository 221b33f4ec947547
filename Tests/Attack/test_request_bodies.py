"""Finding 3: request bodies were buffered without bound (100 streams × 4 MiB, never ending). `--request-body-budget`
(default 64 MiB, server-wide) refuses a stream whose body would pass it with trailers-only RESOURCE_EXHAUSTED and
RST_STREAM; `--request-timeout` ends the streams still buffered. Default limits, except `--request-timeout 3s` so the
streams under the budget end within the test.

Each stream's body is exactly 4 MiB (a 5-byte prefix announcing a message of 4 MiB - 5 bytes, then all of it, then
no END_STREAM), so 16 of them fill the default budget to the byte. Legitimate requests arriving meanwhile must still
be served."""

import collections
import struct
import time

from arbor_attack import (
    ATTACKER, GRPC_DEADLINE_EXCEEDED, GRPC_RESOURCE_EXHAUSTED, HIERARCHY, MIB, H2Client, run_attackers)

CONNECTIONS = 2
STREAMS_PER_CONNECTION = 75  # 150 × 4 MB = 600 MB offered, 9 × the default budget
DECLARED = 4 * MIB - 5  # with its prefix, 4 MiB: at --max-message-size, so the size check cannot be what stops it
REQUEST_TIMEOUT = 3.0
SLICE = 64 * 1024  # bytes per stream per round, so every stream advances


def test_request_bodies_beyond_the_budget_are_refused(arbor):
    server = arbor.server("--request-timeout", f"{REQUEST_TIMEOUT:g}s")
    results = []

    def attacker(_):
        client = H2Client(server.port, source=ATTACKER)
        try:
            # A body announcing one 4 MB message, sent as fast as the windows allow, never finished.
            remaining = {}
            for _ in range(STREAMS_PER_CONNECTION):
                stream = client.open(HIERARCHY + "FindNodes")
                client.send(stream, b"\x00" + struct.pack(">I", DECLARED))
                remaining[stream] = DECLARED
            client.flush()
            deadline = time.monotonic() + REQUEST_TIMEOUT + 4
            filler = b"A" * SLICE
            while time.monotonic() < deadline and not client.closed:
                progressed = 0
                for stream, left in remaining.items():
                    if left > 0 and client.sendable(stream) > 0:
                        sent = client.send(stream, filler[:min(SLICE, left)])
                        remaining[stream] -= sent
                        progressed += sent
                client.poll(0 if progressed else 0.05)
                if all(result.done for result in client.streams.values()):
                    break
            for stream, result in client.streams.items():
                results.append((result, DECLARED - remaining[stream]))
        finally:
            client.close()

    with arbor.attack(server, "3", f"{CONNECTIONS * STREAMS_PER_CONNECTION} streams × 4 MB body, never ended") as run:
        started = time.monotonic()
        run_attackers(CONNECTIONS, attacker)
        elapsed = time.monotonic() - started

        outcomes = collections.Counter(result.describe() for result, _ in results)
        sent = sum(n for _, n in results)
        refused = [r for r, _ in results if r.grpc_status == GRPC_RESOURCE_EXHAUSTED]
        timed_out = [r for r, _ in results if r.grpc_status == GRPC_DEADLINE_EXCEEDED]
        run.details = {"streams": len(results), "outcomes": dict(outcomes), "body_bytes_sent_mb": round(sent / MIB)}
        run.outcome = (f"{len(refused)} RESOURCE_EXHAUSTED, {len(timed_out)} DEADLINE_EXCEEDED of {len(results)} "
                       f"streams; {sent / MIB:.0f} MB of body sent in {elapsed:.1f} s")

        assert len(results) == CONNECTIONS * STREAMS_PER_CONNECTION, "an attacker connection failed early"
        assert refused, f"no stream was refused with RESOURCE_EXHAUSTED: {dict(outcomes)}"
        still_open = [r for r, _ in results if not r.done]
        assert not still_open, f"{len(still_open)} streams still open {REQUEST_TIMEOUT + 4:g} s in: {dict(outcomes)}"
        others = [r for r, _ in results if r.grpc_status not in (GRPC_RESOURCE_EXHAUSTED, GRPC_DEADLINE_EXCEEDED)]
        assert not others, f"streams ended otherwise than RESOURCE_EXHAUSTED or DEADLINE_EXCEEDED: {dict(outcomes)}"
