"""Finding 7: floods and outages logged a line per event. Each kind of event is now logged at most about once per
10 s, the next line carrying how many were suppressed in between (`suppressed=N`)."""

import collections
import re
import subprocess
import time

from arbor_attack import ATTACKER, HIERARCHY, RawConnection, closed_loop, pb, wait_until, window_update

KIND = re.compile(r"\bkind=(\S+)")
SUPPRESSED = re.compile(r"\bsuppressed=(\d+)")
INTERVAL = 10.0  # the server's rate-limit interval


def kinds(text):
    return collections.Counter(m.group(1) for m in map(KIND.search, text.splitlines()) if m)


def suppressed_counts(text, kind):
    return [int(m.group(1)) for line in text.splitlines() if f"kind={kind}" in line
            for m in [SUPPRESSED.search(line)] if m]


def refused_connections(server, count, kept):
    """Opens `count` connections from the attacker's address (each closed by the server on accept once the
    per-peer limit is reached); returns how many the server closed. One it accepts is kept open in `kept`, as an
    attacker would keep it, so it cannot free a slot for the next."""
    closed = 0
    for _ in range(count):
        try:
            connection = RawConnection(server.port, source=ATTACKER, timeout=2)
        except OSError:
            closed += 1
            continue
        connection.start()
        if connection.wait_closed(0.5):
            closed += 1
            connection.close()
        else:
            kept.append(connection)
    return closed


def control_floods(server, count):
    for _ in range(count):
        connection = RawConnection(server.port, source=ATTACKER)
        connection.start()
        connection.send(window_update(0, 1) * 5000)
        connection.wait_closed(2)
        connection.close()


def test_a_flood_is_logged_once_per_kind_with_a_count(arbor):
    """300 connections past the per-peer limit and 30 WINDOW_UPDATE floods in about 3 s; then, once the interval
    has passed, one more of each: its line carries the count of those suppressed. Server flags:
    `--max-connections-per-peer 4` (default 64) so a few connections suffice."""
    server = arbor.server("--max-connections-per-peer", "4")
    def hold():
        # Closing connections still count against the limit: wait until the floods' are gone.
        assert wait_until(lambda: not server.peer_sockets(ATTACKER), 5), "the server kept closed connections"
        held = []
        refused_connections(server, 4, held)
        return held

    def release(held):
        for connection in held:
            connection.close()
        assert wait_until(lambda: not server.peer_sockets(ATTACKER), 5), "the server kept closed connections"

    with arbor.attack(server, "7", "300 refused connections + 30 control-frame floods: log lines") as run:
        offset = server.stderr_size()
        started = time.monotonic()
        # The floods first, while the attacker's address has free connection slots; then 4 connections take the
        # slots and 300 more are refused.
        control_floods(server, 30)
        refusals_started = time.monotonic()
        held = hold()
        refused = refused_connections(server, 300, held)
        flood_seconds = time.monotonic() - started
        time.sleep(0.5)
        during = server.stderr_text(offset)
        counts = kinds(during)
        lines = len(during.splitlines())

        # Once the interval has passed, the next event of each kind is logged with the count of those suppressed:
        # one more refusal every 0.5 s until its line appears, then (with the slots free again) one more flood.
        refusal_kind = next((k for k in counts if "connection" in k and "limit" in k), None)
        flood_kind = next((k for k in counts if "control" in k), None)
        offset_after = server.stderr_size()
        deadline = refusals_started + INTERVAL + 8
        while refusal_kind and time.monotonic() < deadline:
            time.sleep(0.5)
            refused_connections(server, 1, held)
            if f"kind={refusal_kind}" in server.stderr_text(offset_after):
                break
        release(held)
        control_floods(server, 1)
        time.sleep(0.5)
        after = server.stderr_text(offset_after)

        reported = {kind: suppressed_counts(after, kind) for kind in (refusal_kind, flood_kind) if kind}
        run.details = {"refused": refused, "lines_during_flood": lines, "lines_by_kind": dict(counts),
                       "suppressed_reported_after": reported, "flood_seconds": round(flood_seconds, 1)}
        run.outcome = (f"{refused} refusals + 30 floods in {flood_seconds:.1f} s → {lines} log lines "
                       f"({', '.join(f'{k} ×{v}' for k, v in counts.items())}); next lines: "
                       + ", ".join(f"{k} suppressed={v}" for k, v in reported.items()))

        assert refused >= 290, f"only {refused} of 300 connections past the per-peer limit were refused"
        assert lines <= 20, f"{lines} log lines for a {flood_seconds:.1f} s flood:\n" + "\n".join(
            during.splitlines()[:30])
        limit = 1 + int(flood_seconds // INTERVAL) + 1
        noisy = {k: v for k, v in counts.items() if v > limit}
        assert not noisy, f"kinds logged more than once per {INTERVAL:g} s: {noisy}"
        assert refusal_kind, f"no line for the refused connections: {dict(counts)}"
        assert flood_kind, f"no line for the control-frame floods: {dict(counts)}"
        assert reported.get(refusal_kind) and max(reported[refusal_kind]) >= refused - 10, \
            f"the refusal line after the interval does not count the suppressed refusals: {reported}\n{after}"
        assert reported.get(flood_kind) and max(reported[flood_kind]) >= 25, \
            f"the flood line after the interval does not count the suppressed floods: {reported}\n{after}"


def test_a_database_outage_is_logged_once_per_kind(arbor, suite):
    """The database refuses connections for about 4 s while the refresher retries and an attacker sends live calls
    in closed loops; then it comes back. Server flags: `--refresh-interval 500ms` (default 2 s) so the refresher
    fails several times within the outage."""
    server = arbor.server("--refresh-interval", "500ms")
    name = suite.database_name
    admin = suite.admin_url
    live = pb().FindNodesRequest(label_prefix="Raj", freshness=pb().Freshness(require_live=True)).SerializeToString()

    def psql(sql):
        subprocess.run(["psql", admin, "-X", "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True,
                       capture_output=True, timeout=30)

    with arbor.attack(server, "7", "database refusing connections for 4 s; live calls in closed loops: log lines",
                      check_latency=False) as run:
        offset = server.stderr_size()
        try:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            outcomes, _ = closed_loop(server.port, HIERARCHY + "FindNodes", live, 8, 4.0, timeout=2)
        finally:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        time.sleep(1.5)
        during = server.stderr_text(offset)
        counts = kinds(during)
        lines = len(during.splitlines())
        failed_calls = sum(v for k, v in outcomes.items() if k != "OK")
        run.details = {"calls": dict(outcomes), "lines": lines, "lines_by_kind": dict(counts)}
        run.outcome = (f"{failed_calls} failed live calls during the outage → {lines} log lines "
                       f"({', '.join(f'{k} ×{v}' for k, v in counts.items())})")

        assert failed_calls >= 50, f"the outage did not fail live calls: {dict(outcomes)}"
        assert lines <= 20, f"{lines} log lines for a 4 s outage:\n" + "\n".join(during.splitlines()[:30])
        noisy = {k: v for k, v in counts.items() if v > 2}
        assert not noisy, f"kinds logged more than once per {INTERVAL:g} s during the outage: {noisy}"
