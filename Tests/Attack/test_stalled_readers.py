"""Finding 5: a stream held at a 1 KiB window kept its whole answer (~1.7 MB) queued with no timeout.
`--send-timeout` resets a stream that cannot send for that long with RST_STREAM CANCEL and frees its bytes;
`--response-queue-budget` refuses a unary answer that would pass it with RESOURCE_EXHAUSTED.

Server flags: `--send-timeout 2s` (default 30 s) and `--response-queue-budget 1048576` (1 MiB; default 256 MiB): the
demo organisation's answers are some 33 KB, and offering 256 MiB of them would take minutes of a debug build's CPU.
"""

import collections

from arbor_attack import (
    ATTACKER, CANCEL, GRPC_RESOURCE_EXHAUSTED, HIERARCHY, SETTINGS_INITIAL_WINDOW_SIZE, RawConnection, pb,
    run_attackers)

CONNECTIONS = 4
UNARY_PER_CONNECTION = 20  # FindNodes, ~33 KB each: 80 of them offer ~2.6 MB against a 1 MiB budget
STREAMING_PER_CONNECTION = 5  # Descendants of the whole organisation, ~34 KB each
SEND_TIMEOUT = 2.0


def test_stalled_readers_are_reset_and_their_queues_freed(arbor, suite):
    server = arbor.server("--send-timeout", f"{SEND_TIMEOUT:g}s", "--response-queue-budget", str(1024 * 1024))
    unary = pb().FindNodesRequest(label_prefix="A", limit=1000).SerializeToString()
    streaming = pb().TraversalRequest(root=suite.top_root).SerializeToString()
    results = []

    def attacker(_):
        # 1 KiB stream windows and never a WINDOW_UPDATE; the socket itself is read, so only the windows stall.
        connection = RawConnection(server.port, source=ATTACKER)
        connection.start([(SETTINGS_INITIAL_WINDOW_SIZE, 1024)])
        kinds = {}
        stream = 1
        for _ in range(UNARY_PER_CONNECTION):
            connection.request(stream, HIERARCHY + "FindNodes", unary)
            kinds[stream] = "unary"
            stream += 2
        for _ in range(STREAMING_PER_CONNECTION):
            connection.request(stream, HIERARCHY + "Descendants", streaming)
            kinds[stream] = "streaming"
            stream += 2
        connection.wait(lambda: all(connection.stream(s).done for s in kinds), SEND_TIMEOUT + 4)
        for s, kind in kinds.items():
            results.append((kind, connection.stream(s)))
        connection.close()

    with arbor.attack(server, "5", f"{CONNECTIONS * (UNARY_PER_CONNECTION + STREAMING_PER_CONNECTION)} streams "
                                   "held at a 1 KiB window, never updated") as run:
        run_attackers(CONNECTIONS, attacker)

        outcomes = collections.Counter(f"{kind}: {result.describe()}" for kind, result in results)
        refused = [r for k, r in results if k == "unary" and r.grpc_status == GRPC_RESOURCE_EXHAUSTED]
        cancelled = [r for _, r in results if r.reset == CANCEL and r.grpc_status is None]
        early = [r for r in cancelled if r.closed_at - r.opened < SEND_TIMEOUT * 0.75]
        run.details = {"outcomes": dict(outcomes)}
        run.outcome = (f"{len(refused)} RESOURCE_EXHAUSTED (queue budget), {len(cancelled)} RST_STREAM CANCEL "
                       f"(send timeout) of {len(results)}")

        assert len(results) == CONNECTIONS * (UNARY_PER_CONNECTION + STREAMING_PER_CONNECTION)
        still_open = [r for _, r in results if not r.done]
        assert not still_open, f"{len(still_open)} stalled streams still open {SEND_TIMEOUT + 4:g} s in: " \
                               f"{dict(outcomes)}"
        assert refused, f"no unary answer was refused by the response queue budget: {dict(outcomes)}"
        assert len(refused) + len(cancelled) == len(results), \
            f"stalled streams ended otherwise than RESOURCE_EXHAUSTED or RST_STREAM CANCEL: {dict(outcomes)}"
        assert not early, f"{len(early)} streams were cancelled before the send timeout could have passed"
