"""Finding 2: rapid reset with complete requests (HEADERS + DATA + RST_STREAM) over reconnecting connections grew
the server to GBs and took Health's p50 to 3.9 s. The reset budget (`--reset-budget` 200, `--reset-refill`) closes
such a connection with GOAWAY ENHANCE_YOUR_CALM; `--max-calls-per-connection` bounds the handlers of reset streams
still running. Default limits."""

import collections
import threading
import time

from arbor_attack import (
    ATTACKER, CANCEL, ENHANCE_YOUR_CALM, H2_ERRORS, HIERARCHY, MAX_WINDOW, REFUSED_STREAM, SETTINGS_INITIAL_WINDOW_SIZE,
    RawConnection, StreamTemplate, pb, run_attackers)

ATTACK_SECONDS = 4
THREADS = 2
CONNECTION_CAP = 400  # per thread
CONNECTION_LIFETIME = 2.0  # a connection the server has not cut off by then counts as surviving
BATCH = 50  # streams per write
STREAMS_PER_CONNECTION = 1500  # then the attacker waits for the cut-off instead of writing what would be discarded
RATE = 10_000  # streams written per second, both threads together (the default reset refill is 100/s)
PROCESSED_BOUND = 5000  # streams the server may take on one connection before it cuts it off


class Pacer:
    """Spreads `rate` events a second over the threads that take them."""

    def __init__(self, rate):
        self.interval = 1 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def take(self, count):
        with self.lock:
            self.next = max(self.next, time.monotonic() - 0.05) + count * self.interval
            wait = self.next - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def test_rapid_reset_connections_are_cut_off(arbor):
    server = arbor.server()
    request = pb().FindNodesRequest(label_prefix="Raj", limit=5).SerializeToString()
    template = StreamTemplate(HIERARCHY + "FindNodes", request, reset=CANCEL)
    results = []
    lock = threading.Lock()

    def attacker(_, deadline):
        for _ in range(CONNECTION_CAP):
            if time.monotonic() > deadline:
                return
            try:
                connection = RawConnection(server.port, source=ATTACKER, timeout=2)
            except OSError:
                with lock:
                    results.append(("refused on connect", 0, 0.0, 0))
                continue
            connection.start([(SETTINGS_INITIAL_WINDOW_SIZE, MAX_WINDOW)], MAX_WINDOW)
            opened = time.monotonic()
            stream = 1
            while not connection.cut_off and time.monotonic() - opened < CONNECTION_LIFETIME:
                if stream // 2 < STREAMS_PER_CONNECTION:
                    batch = b"".join(template.render(stream + 2 * i) for i in range(BATCH))
                    stream += 2 * BATCH
                    if not connection.send(batch) and connection.blocked:
                        break
                    pacer.take(BATCH)
                connection.poll(0 if stream // 2 < STREAMS_PER_CONNECTION else 0.05)
            # Whatever the server said before closing (its GOAWAY) is still in our receive buffer.
            connection.wait_closed(1.0)
            lifetime = time.monotonic() - opened
            refused = sum(1 for result in connection.streams.values() if result.reset == REFUSED_STREAM)
            if connection.goaway is not None:
                outcome = "GOAWAY " + H2_ERRORS.get(connection.goaway_code, str(connection.goaway_code))
                processed = (connection.goaway[0] + 1) // 2
            elif connection.cut_off:
                outcome, processed = "closed without GOAWAY", 0
            else:
                outcome, processed = "survived", 0
            connection.close()
            with lock:
                results.append((outcome, processed, lifetime, refused))

    pacer = Pacer(RATE)

    with arbor.attack(server, "2", "rapid reset: HEADERS+DATA+RST_STREAM, reconnecting, 2 threads") as run:
        run_attackers(THREADS, attacker, time.monotonic() + ATTACK_SECONDS)

        outcomes = collections.Counter(result[0] for result in results)
        processed = [result[1] for result in results]
        refused_streams = sum(result[3] for result in results)
        run.details = {"connections": len(results), "outcomes": dict(outcomes),
                       "max_streams_processed_per_connection": max(processed, default=0),
                       "streams_refused_seen": refused_streams,
                       "streams_processed_per_second": round(sum(processed) / run.elapsed())}
        run.outcome = (f"{len(results)} connections cut off: "
                       + ", ".join(f"{k} ×{v}" for k, v in outcomes.most_common())
                       + f"; ≤ {max(processed, default=0)} streams processed per connection, "
                       + f"{refused_streams} RST_STREAM REFUSED_STREAM seen")

        assert results, "the attacker never connected"
        assert outcomes["survived"] == 0, f"{outcomes['survived']} connections kept resetting for " \
                                          f"{CONNECTION_LIFETIME} s without being cut off"
        assert outcomes["GOAWAY " + H2_ERRORS[ENHANCE_YOUR_CALM]] >= 1, \
            f"no connection was closed by the reset budget (GOAWAY ENHANCE_YOUR_CALM): {dict(outcomes)}"
        assert max(processed) <= PROCESSED_BOUND, \
            f"the server took {max(processed)} streams on one connection before cutting it off"
