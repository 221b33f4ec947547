"""Bad requests through raw grpcio stubs: each gets the contract's status and a message naming the field and the
value (and never SQL), from both paths; deadlines and cancellation on real calls."""

import threading
import time
import uuid

import grpc
import pytest

from conftest import LIVE, arbor_pb2_grpc, health_pb2, pb

ACME = "7a000000-0000-4000-8000-000000000001"
BULK = "99999999-0000-4000-8000-000000000000"
NO_ACCOUNT = "00000000-0000-4000-8000-000000000000"
INVALID, NOT_FOUND = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND


def match(name, *values, negate=False):
    return pb.Match(name=name, values=list(values), negate=negate)


def call(server, method, request, timeout=10):
    """Calls a unary method or reads a whole stream."""
    answer = getattr(server.hierarchy, method)(request, timeout=timeout)
    return list(answer) if method in ("Descendants", "Ancestors") else answer


def stats(**fields):
    return ("FilteredStats", pb.FilteredStatsRequest(**{"root": ACME, **fields}))


def board(**fields):
    return ("Leaderboard", pb.LeaderboardRequest(**fields))


def down(**fields):
    return ("Descendants", pb.TraversalRequest(**fields))


# (fixture, (method, request), status, words the message must contain)
BAD_REQUESTS = [
    # Malformed and unknown ids of each id type.
    ("accounts", down(root="not-a-uuid"), INVALID, ["root", '"not-a-uuid"', "UUID"]),
    ("accounts", down(root="7a000000000040008000000000000001"), INVALID, ["root", "UUID"]),
    ("accounts", down(root="7a000000-0000-4000-8000-00000000000"), INVALID, ["root"]),
    ("accounts", down(root=""), INVALID, ["root"]),
    ("accounts", down(root=NO_ACCOUNT), NOT_FOUND, ["root", NO_ACCOUNT]),
    ("accounts", ("Ancestors", pb.TraversalRequest(root=NO_ACCOUNT.upper())), NOT_FOUND, ["root", NO_ACCOUNT]),
    ("tasks", down(root="01"), INVALID, ["root", '"01"', "integer"]),
    ("tasks", down(root="abc"), INVALID, ["root", '"abc"']),
    ("tasks", down(root="9223372036854775808"), INVALID, ["root", "9223372036854775808"]),
    ("tasks", down(root="-0"), INVALID, ["root"]),
    ("tasks", down(root=""), INVALID, ["root"]),
    ("tasks", down(root="999"), NOT_FOUND, ["root", "999"]),
    ("team", down(root=""), INVALID, ["root"]),
    ("team", down(root="nobody"), NOT_FOUND, ["root", "nobody"]),
    ("accounts", board(within="Acme"), INVALID, ["within", '"Acme"']),
    ("accounts", board(within=NO_ACCOUNT), NOT_FOUND, ["within", NO_ACCOUNT]),
    ("accounts", ("FindNodes", pb.FindNodesRequest(ids=[ACME, "nope"])), INVALID, ["ids", '"nope"']),
    ("tasks", ("FindNodes", pb.FindNodesRequest(ids=["1", "1e3"])), INVALID, ["ids", '"1e3"']),
    # Unknown names.
    ("accounts", stats(filter=[match("colour", "red")]), INVALID, ["filter[0].name", '"colour"']),
    ("accounts", stats(filter=[match("channel", "app")]), INVALID, ["filter[0].name", '"channel"']),
    ("accounts", stats(filter=[match("label", "Acme")]), INVALID, ["filter[0].name", '"label"']),
    (
        "accounts",
        stats(events=pb.EventScope(match=[match("tier", "pro")])),
        INVALID,
        ["events.match[0].name", '"tier"'],
    ),
    ("accounts", stats(events=pb.EventScope(source="returns")), INVALID, ["events.source", '"returns"']),
    ("accounts", stats(measures=["revenue"]), INVALID, ["measures", '"revenue"']),
    ("accounts", stats(events=pb.EventScope(source="openings"), measures=["units"]), INVALID, ["measures", '"units"']),
    ("accounts", stats(group_by=["colour"]), INVALID, ["group_by", '"colour"']),
    ("accounts", board(breakdown_by="channel"), INVALID, ["breakdown_by", '"channel"']),
    ("accounts", board(measure="revenue"), INVALID, ["measure", '"revenue"']),
    ("accounts", board(order_by=pb.DIRECT_CHILDREN, measure="revenue"), INVALID, ["measure", '"revenue"']),
    ("accounts", board(events=pb.EventScope(source="openings"), measure="units"), INVALID, ["measure", '"units"']),
    ("accounts", board(attributes=["label"]), INVALID, ["attributes", '"label"']),
    ("accounts", down(root=ACME, attributes=["colour"]), INVALID, ["attributes", '"colour"']),
    # Reserved and repeated names.
    ("accounts", stats(group_by=["day", "tier", "day"]), INVALID, ["group_by", '"day"', "twice"]),
    ("accounts", stats(group_by=["label"]), INVALID, ["group_by", '"label"']),
    ("accounts", stats(group_by=["count"]), INVALID, ["group_by", '"count"']),
    ("accounts", stats(measures=["total", "total"]), INVALID, ["measures", '"total"', "twice"]),
    ("accounts", down(root=ACME, attributes=["tier", "label", "tier"]), INVALID, ["attributes", '"tier"', "twice"]),
    # Values.
    ("accounts", stats(filter=[match("region", "mars")]), INVALID, ["region", '"mars"']),
    ("accounts", stats(filter=[match("region", "eu", "mars", negate=True)]), INVALID, ["region", '"mars"']),
    ("accounts", stats(filter=[match("region", "")]), INVALID, ["region", '""']),
    ("accounts", board(downline_filter=[match("region", "Mars")]), INVALID, ["downline_filter", '"Mars"']),
    ("accounts", stats(filter=[match("seats", "07")]), INVALID, ["filter[0].values", '"07"']),
    ("accounts", stats(filter=[match("seats", "40000")]), INVALID, ["filter[0].values", '"40000"']),
    ("accounts", stats(filter=[match("verified", "yes")]), INVALID, ["filter[0].values", '"yes"', "boolean"]),
    ("accounts", stats(filter=[match("tier")]), INVALID, ["filter[0].values"]),
    ("team", stats(root="raj", filter=[match("role", "WIZARD")]), INVALID, ["role", '"WIZARD"']),
    ("tasks", stats(root="1", filter=[match("priority", "high")]), INVALID, ['"high"']),
    # A bad closed value is found before an unknown root.
    ("accounts", stats(root=NO_ACCOUNT, filter=[match("region", "mars")]), INVALID, ['"mars"']),
    # Dates.
    ("accounts", stats(events=pb.EventScope(from_date="2026-02-30")), INVALID, ["events.from_date", "2026-02-30"]),
    ("accounts", stats(events=pb.EventScope(to_date="2026-3-01")), INVALID, ["events.to_date", "2026-3-01"]),
    (
        "accounts",
        stats(events=pb.EventScope(from_date="2026-03-02", to_date="2026-03-01")),
        INVALID,
        ["from_date", "2026-03-02", "2026-03-01"],
    ),
    # Shapes and limits.
    ("accounts", board(order_by=pb.DOWNLINE_MATCHING), INVALID, ["downline_filter"]),
    ("accounts", board(order_by=99), INVALID, ["order_by", "99"]),
    ("accounts", board(limit=1001), INVALID, ["limit", "1001"]),
    ("accounts", ("FindNodes", pb.FindNodesRequest()), INVALID, ["label_prefix"]),
    ("accounts", ("FindNodes", pb.FindNodesRequest(label_prefix="A", limit=1001)), INVALID, ["limit", "1001"]),
    ("accounts", stats(page_token="bm90IGEgdG9rZW4"), INVALID, ["page_token"]),
    ("accounts", ("FindNodes", pb.FindNodesRequest(label_prefix="A", page_token="x")), INVALID, ["page_token"]),
    # Freshness: a version that does not exist yet.
    ("accounts", stats(freshness=pb.Freshness(min_version=2**63)), grpc.StatusCode.OUT_OF_RANGE, ["min_version"]),
]


@pytest.mark.parametrize(
    "fixture, request_, status, words", BAD_REQUESTS, ids=[str(i) for i in range(len(BAD_REQUESTS))]
)
@pytest.mark.parametrize("path", ["cache", "live"])
def test_bad_request(request, fixture, request_, status, words, path):
    server = request.getfixturevalue(fixture)
    method, message = request_
    message = type(message).FromString(message.SerializeToString())
    if path == "live" and not message.freshness.min_version:
        message.freshness.require_live = True
    with pytest.raises(grpc.RpcError) as error:
        call(server, method, message)
    assert error.value.code() == status, error.value.details()
    details = error.value.details()
    for word in words:
        assert word in details, f"{word!r} not in {details!r}"
    for sql in ("SELECT", "select ", "FROM ", "WHERE", "rollup_", "ERROR:", "\"accounts\""):
        assert sql not in details


def test_a_page_token_only_continues_its_own_request(accounts):
    first = accounts.hierarchy.FilteredStats(
        pb.FilteredStatsRequest(root=ACME, group_by=["day"], limit=2, freshness=LIVE), timeout=10
    )
    assert first.next_page_token
    # Limit and freshness may change between pages; anything else may not.
    accounts.hierarchy.FilteredStats(
        pb.FilteredStatsRequest(root=ACME, group_by=["day"], limit=5, page_token=first.next_page_token), timeout=10
    )
    with pytest.raises(grpc.RpcError) as error:
        accounts.hierarchy.FilteredStats(
            pb.FilteredStatsRequest(root=ACME, group_by=["week"], limit=2, page_token=first.next_page_token),
            timeout=10,
        )
    assert error.value.code() == INVALID and "page_token" in error.value.details()
    found = accounts.hierarchy.FindNodes(pb.FindNodesRequest(label_prefix="Acme", limit=1), timeout=10)
    with pytest.raises(grpc.RpcError) as error:
        accounts.hierarchy.FindNodes(
            pb.FindNodesRequest(label_prefix="Bulk", limit=1, page_token=found.next_page_token), timeout=10
        )
    assert error.value.code() == INVALID and "page_token" in error.value.details()


def test_unknown_method_unparsable_body_and_unknown_health_service(accounts):
    nope = accounts.channel.unary_unary("/arbor.v2.Hierarchy/Nope")
    with pytest.raises(grpc.RpcError) as error:
        nope(b"", timeout=5)
    assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED
    describe = accounts.channel.unary_unary("/arbor.v2.Hierarchy/Describe")
    with pytest.raises(grpc.RpcError) as error:
        describe(b"\x0a\xff\xff\xff\xff\x0f", timeout=5)  # freshness: a length past the end of the body
    assert error.value.code() == grpc.StatusCode.INTERNAL
    with pytest.raises(grpc.RpcError) as error:
        accounts.health.Check(health_pb2.HealthCheckRequest(service="arbor.v1.Hierarchy"), timeout=5)
    assert error.value.code() == NOT_FOUND


def test_errors_of_a_stream_arrive_before_any_chunk(accounts):
    received = []
    with pytest.raises(grpc.RpcError) as error:
        for chunk in accounts.hierarchy.Descendants(pb.TraversalRequest(root=NO_ACCOUNT), timeout=10):
            received.append(chunk)
    assert error.value.code() == NOT_FOUND and received == []


def test_deadline_exceeded_cancels_live_sql(accounts):
    """While another session holds a lock on the nodes table, a live call waits in PostgreSQL: the server must end
    it at the caller's deadline (statement timeout and cancel), not when the lock goes."""
    holder = accounts.sql.background_lock("accounts", seconds=6)
    try:
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as error:
            accounts.hierarchy.FilteredStats(
                pb.FilteredStatsRequest(root=ACME, group_by=["day"], freshness=LIVE), timeout=1.0
            )
        elapsed = time.monotonic() - started
        assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert elapsed < 3, f"the call ended {elapsed:.1f} s after it started"
        # The server answers other calls meanwhile from its snapshot.
        cached = accounts.hierarchy.Cycles(
            pb.CyclesRequest(freshness=pb.Freshness(max_staleness_ms=3_600_000)), timeout=5
        )
        assert cached.total == 3
    finally:
        holder.wait(timeout=30)
    # And live SQL works again once the lock is gone: the cancelled query left no connection behind in a bad state.
    for _ in range(3):
        answer = accounts.hierarchy.FilteredStats(pb.FilteredStatsRequest(root=ACME, freshness=LIVE), timeout=10)
        assert list(answer.totals) == [8]
    waiting = accounts.sql.value(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    assert waiting == "0"


def test_cancelling_a_stream_mid_way(accounts):
    """Reads one chunk of a many-chunk Descendants, cancels, and the stream ends CANCELLED with the rest unread; the
    connection and the server go on serving."""
    # Without BDP probing the stream's window stays at 64 KiB, so the server cannot have sent the whole answer.
    options = [("grpc.http2.bdp_probe", 0)]
    request = pb.TraversalRequest(root=BULK, include_parents=True, attributes=["label", "tier", "region"])
    with grpc.insecure_channel(accounts.target, options=options) as channel:
        stub = arbor_pb2_grpc.HierarchyStub(channel)
        whole = list(stub.Descendants(request, timeout=30))
        assert len(whole) >= 4 and whole[-1].total == 20000
        stream = stub.Descendants(request, timeout=30)
        first = next(stream)
        assert first.ids.uuids == whole[0].ids.uuids
        stream.cancel()
        rest = []
        with pytest.raises(grpc.RpcError) as error:
            for chunk in stream:
                rest.append(chunk)
        assert error.value.code() == grpc.StatusCode.CANCELLED
        assert 1 + len(rest) < len(whole)
        # Many cancelled streams in a row stay far below the server's reset budget and leave it serving.
        for _ in range(20):
            stream = stub.Descendants(request, timeout=30)
            next(stream)
            stream.cancel()
        again = list(stub.Descendants(request, timeout=30))
        assert [c.ids.uuids for c in again] == [c.ids.uuids for c in whole]
        health = accounts.health.Check(health_pb2.HealthCheckRequest(), timeout=5)
        assert health.status == health_pb2.HealthCheckResponse.SERVING


def test_concurrent_calls_on_one_channel(accounts):
    """grpcio multiplexes calls on one HTTP/2 connection; every answer comes back whole and right."""
    ref = accounts.reference
    expected = [e[0] for e in ref.traverse(BULK)]
    results, errors = [], []

    def work():
        try:
            chunks = list(accounts.hierarchy.Descendants(pb.TraversalRequest(root=BULK), timeout=30))
            results.append(b"".join(c.ids.uuids for c in chunks))
        except grpc.RpcError as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all([str(uuid.UUID(bytes=r[i : i + 16])) for i in range(0, len(r), 16)] == expected for r in results)
    assert len(results) == 8
