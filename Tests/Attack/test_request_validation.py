"""Finding 7, requests the service must refuse at once, whichever path (snapshot or live SQL) they would take:
a `min_version` far ahead of the database was answered LIVE instead of OUT_OF_RANGE (a free way to force live SQL),
and a NUL in a name prefix was INTERNAL live but OK cached. Each is sent in closed loops from the attacker's address,
snapshot and `require_live` alike, beside the legitimate load. Default limits."""

import collections
import threading

import grpc

from arbor_attack import HIERARCHY, closed_loop, pb, run_attackers

GRPC_INVALID_ARGUMENT, GRPC_OUT_OF_RANGE = 3, 11
LOOP_SECONDS = 2.5


def current_version(server, suite):
    import arbor_pb2_grpc
    with grpc.insecure_channel(server.target) as channel:
        chunks = list(arbor_pb2_grpc.HierarchyStub(channel).Descendants(
            pb().TraversalRequest(root=suite.legit_root), timeout=5))
    return chunks[-1].meta.version


def flood(server, cases):
    """Each case (name, method, request bytes) in a closed loop of 4 calls on its own connection; returns
    {name: Counter of outcomes}."""
    results = {}
    lock = threading.Lock()

    def body(index):
        name, method, request = cases[index]
        outcomes, _ = closed_loop(server.port, HIERARCHY + method, request, 4, LOOP_SECONDS, timeout=5)
        with lock:
            results[name] = outcomes

    run_attackers(len(cases), body)
    return results


def summary(results):
    total = collections.Counter()
    for outcomes in results.values():
        total.update(outcomes)
    return ", ".join(f"{k} ×{v}" for k, v in total.most_common())


def test_min_version_ahead_of_the_database_is_out_of_range(arbor, suite):
    server = arbor.server()
    version = current_version(server, suite)
    root = suite.legit_root

    def requests(freshness):
        return [
            ("Descendants", pb().TraversalRequest(root=root, freshness=freshness)),
            ("Ancestors", pb().TraversalRequest(root=root, freshness=freshness)),
            ("FilteredStats", pb().FilteredStatsRequest(root=root, group_by=["day"], freshness=freshness)),
            ("Leaderboard", pb().LeaderboardRequest(limit=10, freshness=freshness)),
            ("Cycles", pb().CyclesRequest(freshness=freshness)),
            ("FindNodes", pb().FindNodesRequest(label_prefix="Raj", freshness=freshness)),
            ("Describe", pb().DescribeRequest(freshness=freshness)),
        ]

    # The version the database has now is answered: the refusal below is about being ahead, not about min_version.
    import arbor_pb2_grpc
    with grpc.insecure_channel(server.target) as channel:
        stub = arbor_pb2_grpc.HierarchyStub(channel)
        for method, request in requests(pb().Freshness(min_version=version)):
            answer = getattr(stub, method)(request, timeout=10)
            if method in ("Descendants", "Ancestors"):
                list(answer)  # a stream: its status comes with its end

    cases = []
    for live in (False, True):
        freshness = pb().Freshness(min_version=version + 1_000_000, require_live=live)
        for method, request in requests(freshness):
            cases.append((f"{method}{' live' if live else ''}", method, request.SerializeToString()))

    with arbor.attack(server, "7", "min_version 1,000,000 ahead of the database, every RPC, cached and live") as run:
        results = flood(server, cases)
        run.details = {name: dict(outcomes) for name, outcomes in results.items()}
        run.outcome = summary(results)
        wrong = {name: dict(o) for name, o in results.items() if set(o) != {f"grpc-status {GRPC_OUT_OF_RANGE}"}}
        assert not wrong, f"min_version ahead of the database not answered OUT_OF_RANGE: {wrong}"


def test_nul_in_request_text_is_invalid_argument(arbor, suite):
    server = arbor.server()
    root = suite.legit_root
    cases = []
    for live in (False, True):
        freshness = pb().Freshness(require_live=live)
        suffix = " live" if live else ""
        cases += [
            (f"FindNodes label_prefix{suffix}", "FindNodes",
             pb().FindNodesRequest(label_prefix="Ra\x00j", freshness=freshness)),
            (f"Leaderboard filter role{suffix}", "Leaderboard",
             pb().LeaderboardRequest(filter=[pb().Match(name="role", values=["a\x00b"])], freshness=freshness)),
            (f"FilteredStats events channel{suffix}", "FilteredStats",
             pb().FilteredStatsRequest(root=root, events=pb().EventScope(
                 match=[pb().Match(name="channel", values=["web\x00"])]), freshness=freshness)),
            (f"Descendants root{suffix}", "Descendants", pb().TraversalRequest(root="Ra\x00j", freshness=freshness)),
        ]
    cases = [(name, method, request.SerializeToString()) for name, method, request in cases]

    with arbor.attack(server, "7", "NUL in request text (label_prefix, a closed attribute, a dimension, root), cached and live") as run:
        results = flood(server, cases)
        run.details = {name: dict(outcomes) for name, outcomes in results.items()}
        run.outcome = summary(results)
        wrong = {name: dict(o) for name, o in results.items() if set(o) != {f"grpc-status {GRPC_INVALID_ARGUMENT}"}}
        assert not wrong, f"NUL in request text not answered INVALID_ARGUMENT: {wrong}"
