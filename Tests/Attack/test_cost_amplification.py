"""Finding 6: cost amplification. `require_live` calls are 40-350 times dearer than cached ones; 32 clients of them
filled the database connections, the snapshot aged and ordinary calls timed out. Under 32 clients of cached
Leaderboards, Health/Check went from 0.24 ms to 237 ms.

Live SQL runs behind a gate (`--max-live-queries`, `--max-live-queue` 64: beyond, RESOURCE_EXHAUSTED), the refresher
has its own connections, and Health/Check is answered on the event loop. Default limits."""

import collections
import threading

from arbor_attack import GRPC_RESOURCE_EXHAUSTED, HIERARCHY, closed_loop, pb, run_attackers

ATTACK_SECONDS = 5


def _run(count, attack):
    totals = collections.Counter()
    cut_off = []
    lock = threading.Lock()

    def body(index):
        outcomes, was_cut_off = attack(index)
        with lock:
            totals.update(outcomes)
            cut_off.append(was_cut_off)

    run_attackers(count, body)
    return totals, sum(cut_off)


def test_a_flood_of_live_calls_is_shed_and_the_snapshot_keeps_refreshing(arbor, suite):
    server = arbor.server()
    connections, concurrency = 4, 32  # 128 live calls in flight: past 8 running + 64 queued
    top = suite.top_root
    live = pb().Freshness(require_live=True)

    # Every call differs (identical queued live calls share one execution, which would blunt the flood).
    def filtered_stats(n):
        return pb().FilteredStatsRequest(root=top, group_by=["day"], max_depth=1 + n % 1000,
                                         freshness=live).SerializeToString()

    def leaderboard(n):
        return pb().LeaderboardRequest(limit=100, offset=n % 1000, freshness=live).SerializeToString()

    requests = [("FilteredStats", filtered_stats), ("Leaderboard", leaderboard)]

    def attack(index):
        method, request = requests[index % len(requests)]
        return closed_loop(server.port, HIERARCHY + method, request, concurrency, ATTACK_SECONDS, timeout=2)

    with arbor.attack(server, "6", f"{connections * concurrency} require_live calls in flight "
                                   "(FilteredStats by day of everyone, Leaderboard), 2 s deadlines") as run:
        outcomes, cut_off = _run(connections, attack)
        shed = sum(v for k, v in outcomes.items() if f"grpc-status {GRPC_RESOURCE_EXHAUSTED}" in k)
        run.details = {"outcomes": dict(outcomes), "connections_cut_off": cut_off}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in outcomes.most_common())

        assert shed, f"no live call was shed with RESOURCE_EXHAUSTED: {dict(outcomes)}"
        assert outcomes["OK"], f"no live call was answered at all: {dict(outcomes)}"

    # The legitimate Descendants were answered from the snapshot the whole time, and it kept refreshing.
    during = run.during
    assert set(during["descendants_sources"]) == {"CACHE"}, \
        f"legitimate Descendants were not all answered from the snapshot: {during['descendants_sources']}"
    assert during["max_snapshot_age_ms"] < 5000, \
        f"the snapshot aged to {during['max_snapshot_age_ms']} ms during the flood (refresh every 2 s)"


def test_cached_leaderboards_do_not_delay_health(arbor):
    server = arbor.server()
    clients = 32
    request = pb().LeaderboardRequest(limit=1000).SerializeToString()

    def attack(_):
        return closed_loop(server.port, HIERARCHY + "Leaderboard", request, 1, ATTACK_SECONDS)

    with arbor.attack(server, "6", f"{clients} clients of cached Leaderboard (1000 rows), closed loop") as run:
        outcomes, cut_off = _run(clients, attack)
        run.details = {"outcomes": dict(outcomes), "connections_cut_off": cut_off}
        run.outcome = ", ".join(f"{k} ×{v}" for k, v in outcomes.most_common()) + \
            f" ({sum(outcomes.values()) / ATTACK_SECONDS:.0f} calls/s)"
        assert outcomes["OK"], f"the Leaderboards were not answered: {dict(outcomes)}"
