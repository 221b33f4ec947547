"""Every call of arbor.v2.Hierarchy through raw grpcio stubs, answered from the snapshot and from live SQL, against
the reference computed from the fixture's tables (reference.py)."""

import uuid

import pytest

from conftest import CACHE, LIVE, health_pb2, node_ids, pb

ACME = "7a000000-0000-4000-8000-000000000001"
ACME_EAST = "2e000000-0000-4000-8000-000000000002"
ACME_WEST = "c3000000-0000-4000-8000-000000000003"
SHARED = "05000000-0000-4000-8000-000000000005"
ECHO = "e0000000-0000-4000-8000-000000000007"
BULK = "99999999-0000-4000-8000-000000000000"
SOURCES = {"cache": pb.CACHE, "live": pb.LIVE}


def match(name, *values, negate=False):
    return pb.Match(name=name, values=list(values), negate=negate)


def matches(messages):
    """Proto matches as the reference's (name, values, negate)."""
    return [(m.name, set(m.values), m.negate) for m in messages]


def check_meta(meta, source):
    assert meta.source == SOURCES[source]
    assert meta.version > 0 and meta.as_of_unix_ms > 0 and not meta.stale


def read_stream(call, id_type):
    """All chunks of a traversal: (ids, depths, parents, columns, total, meta, chunk count)."""
    ids, depths, parents, columns, chunks = [], [], [], None, list(call)
    for chunk in chunks:
        chunk_ids = node_ids(chunk.ids, id_type)
        assert len(chunk.depths) == len(chunk_ids)
        if chunk.HasField("parents"):
            assert len(node_ids(chunk.parents, id_type)) == len(chunk_ids)
        for column in chunk.attributes:
            assert len(column.values) == len(chunk_ids)
        ids += chunk_ids
        depths += list(chunk.depths)
        parents += node_ids(chunk.parents, id_type)
        values = [list(column.values) for column in chunk.attributes]
        columns = values if columns is None else [a + b for a, b in zip(columns, values)]
    assert chunks, "at least one chunk is always sent"
    for chunk in chunks[:-1]:
        assert chunk.total == 0 and not chunk.HasField("meta"), "total and meta ride on the last chunk only"
    return ids, depths, parents, columns or [], chunks[-1].total, chunks[-1].meta, len(chunks)


def test_health(accounts):
    for service in ("", "arbor.v2.Hierarchy"):
        answer = accounts.health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_describe(accounts, freshness):
    source, fresh = freshness
    ref = accounts.reference
    answer = accounts.hierarchy.Describe(pb.DescribeRequest(freshness=fresh), timeout=10)
    assert (answer.id_type, answer.time_zone, answer.has_label) == ("uuid", "America/New_York", True)
    closed = {"region"}
    assert [(a.name, a.type, a.closed, a.distinct_values) for a in answer.attributes] == [
        (name, ref.attribute_kinds[name], name in closed, len({n[1][name] for n in ref.nodes.values()} - {None}))
        for name in ref.attributes
    ]
    sql_distinct = accounts.sql.rows(
        "SELECT count(DISTINCT tier), count(DISTINCT region), count(DISTINCT verified), count(DISTINCT seats) "
        "FROM accounts"
    )
    assert [a.distinct_values for a in answer.attributes] == [int(v) for v in sql_distinct[0]]
    orders, openings = answer.sources
    assert (orders.name, list(orders.dimensions)) == ("orders", ["channel", "status"])
    assert [(m.name, m.scale) for m in orders.measures] == [("count", 0), ("units", 0), ("total", 1)]
    assert (openings.name, list(openings.dimensions)) == ("openings", [])
    assert [(m.name, m.scale) for m in openings.measures] == [("count", 0), ("seats_opened", 0)]
    for info in (orders, openings):
        days = sorted(e[1] for e in ref.events[info.name])
        assert (info.events, info.first_day, info.last_day) == (len(days), days[0], days[-1])
    # The same facts straight from SQL: an order counts when its account exists and its time is not NULL.
    assert orders.events == int(
        accounts.sql.value(
            "SELECT count(*) FROM orders o JOIN accounts a ON a.id = o.account_id WHERE o.placed_at IS NOT NULL"
        )
    )
    edges = accounts.sql.value(
        "SELECT count(*) FROM (SELECT DISTINCT parent_id, child_id FROM account_links l "
        "WHERE EXISTS (SELECT FROM accounts WHERE id = l.parent_id) "
        "AND EXISTS (SELECT FROM accounts WHERE id = l.child_id)) e"
    )
    assert (answer.nodes, answer.edges, answer.cycle_groups) == (len(ref.nodes), int(edges), len(ref.cycles()))
    assert (answer.nodes, answer.edges, answer.cycle_groups) == (20010, 20050, 3)
    check_meta(answer.meta, source)


@pytest.mark.parametrize("direction", ["Descendants", "Ancestors"])
def test_traversal_reads_every_chunk(accounts, freshness, direction):
    source, fresh = freshness
    ref = accounts.reference
    # Descendants of Bulk Root span many chunks; ancestors of a bulk account on the loop reach Bulk Root.
    root = BULK if direction == "Descendants" else ref.cycles()[0][0]
    request = pb.TraversalRequest(
        root=root.upper(), include_parents=True, attributes=["label", "tier", "region"], freshness=fresh
    )
    call = getattr(accounts.hierarchy, direction)(request, timeout=30)
    ids, depths, parents, columns, total, meta, chunk_count = read_stream(call, "uuid")
    expected = ref.traverse(root, up=direction == "Ancestors")
    assert ids == [e[0] for e in expected]
    assert depths == [e[1] for e in expected]
    assert parents == [e[2] for e in expected]
    assert columns == [
        [ref.nodes[n][0] or "" for n in ids],
        [ref.nodes[n][1]["tier"] or "" for n in ids],
        [ref.nodes[n][1]["region"] or "" for n in ids],
    ]
    assert total == len(expected)
    if direction == "Descendants":
        assert total == 20000 and chunk_count > 1
    check_meta(meta, source)


def test_descendants_filter_depth_root_and_limit(accounts, freshness):
    source, fresh = freshness
    ref = accounts.reference
    filter = [match("tier", "free", "pro"), match("region", "eu", negate=True)]
    request = pb.TraversalRequest(
        root=BULK, max_depth=2, filter=filter, include_root=True, limit=100, include_parents=True, freshness=fresh
    )
    call = accounts.hierarchy.Descendants(request, timeout=30)
    ids, depths, parents, columns, total, meta, _ = read_stream(call, "uuid")
    # Bulk Root is enterprise: it fails the filter, so no root entry. Parents come from the unfiltered traversal.
    expected = [e for e in ref.traverse(BULK, max_depth=2) if ref.passes(e[0], matches(filter))]
    assert total == len(expected) and total > 100
    assert list(zip(ids, depths, parents)) == expected[:100]
    assert columns == []
    # With a root that passes: it comes first at depth 0, its own parent, and counts toward limit and total.
    request = pb.TraversalRequest(root=ACME, include_root=True, limit=3, include_parents=True, freshness=fresh)
    ids, depths, parents, _, total, meta, _ = read_stream(accounts.hierarchy.Descendants(request, timeout=10), "uuid")
    assert list(zip(ids, depths, parents)) == [(ACME, 0, ACME)] + ref.traverse(ACME)[:2]
    assert total == 7
    check_meta(meta, source)
    # On a cycle of one, the root is still not its own descendant; without include_parents no parents are sent.
    chunks = list(accounts.hierarchy.Descendants(pb.TraversalRequest(root=ECHO, freshness=fresh), timeout=10))
    assert len(chunks) == 1 and chunks[0].total == 0 and not chunks[0].HasField("parents")
    assert node_ids(chunks[0].ids, "uuid") == []


def test_filtered_stats_against_sql(accounts, freshness):
    """Grouped by week and tier, with node and event filters and a window, paged three rows at a time; checked
    against one recursive-CTE query."""
    source, fresh = freshness
    request = pb.FilteredStatsRequest(
        root=BULK,
        filter=[match("tier", "pro", "enterprise"), match("region", "eu", negate=True)],
        events=pb.EventScope(
            source="orders", match=[match("channel", "app")], from_date="2026-02-04", to_date="2026-03-01"
        ),
        group_by=["week", "tier"],
        measures=["count", "units", "total"],
        limit=3,
        freshness=fresh,
    )
    expected = accounts.sql.rows(
        """
        WITH RECURSIVE edge AS (SELECT parent_id AS p, child_id AS c FROM account_links),
        walk(id) AS (SELECT :'root'::uuid UNION SELECT edge.c FROM walk JOIN edge ON edge.p = walk.id),
        event AS (
            SELECT o.*, a.tier, (o.placed_at AT TIME ZONE 'America/New_York')::date AS day
            FROM orders o JOIN walk ON walk.id = o.account_id JOIN accounts a ON a.id = o.account_id
            WHERE a.tier IN ('pro', 'enterprise') AND a.region NOT IN ('eu') AND o.channel IN ('app'))
        SELECT to_char(date_trunc('week', day), 'YYYY-MM-DD'), tier::text, count(*), coalesce(sum(units), 0),
            coalesce(sum(round(total * 10)), 0), count(DISTINCT account_id)
        FROM event WHERE day BETWEEN '2026-02-04' AND '2026-03-01'
        GROUP BY 1, 2 ORDER BY 1, tier::text COLLATE "C"
        """,
        root=BULK,
    )
    rows, token, pages = [], "", 0
    while True:
        request.page_token = token
        page = accounts.hierarchy.FilteredStats(request, timeout=30)
        pages += 1
        assert len(page.rows) <= 3
        rows += [(list(r.keys), list(r.values), r.nodes) for r in page.rows]
        check_meta(page.meta, source)
        totals = list(page.totals)
        token = page.next_page_token
        if not token:
            break
    assert rows == [([w, t], [int(c), int(u), int(s)], int(n)) for w, t, c, u, s, n in expected]
    assert pages == (len(expected) + 2) // 3 and len(expected) > 6
    assert totals == [sum(r[1][i] for r in rows) for i in range(3)]
    ref_rows, ref_totals, in_scope = accounts.reference.stats(
        BULK,
        "orders",
        filter=matches(request.filter),
        event_matches=matches(request.events.match),
        from_date="2026-02-04",
        to_date="2026-03-01",
        group_by=["week", "tier"],
        measures=["count", "units", "total"],
    )
    assert rows == [(list(k), v, n) for k, v, n in ref_rows] and totals == ref_totals
    assert page.nodes_in_scope == in_scope


@pytest.mark.parametrize(
    "root, options",
    [
        (ACME, dict(group_by=["day"], measures=["count", "units", "total"])),
        (ACME, dict(group_by=["node", "channel"], measures=["total", "count"], exclude_root=True)),
        (ACME, dict(group_by=["month", "verified"], measures=["units"], max_depth=1)),
        (ACME, dict(group_by=["status", "seats"], filter=[match("verified", "true")])),
        (ACME, dict(measures=["count", "total"], event_matches=[match("channel", "web", negate=True)])),
        (ECHO, dict(group_by=["day"], exclude_root=True)),
        (BULK, dict(source="openings", group_by=["month"], measures=["count", "seats_opened"], from_date="2024-06-01")),
        (BULK, dict(group_by=["region"], measures=["count", "total"], to_date="2026-02-10")),
    ],
)
def test_filtered_stats_groupings(accounts, freshness, root, options):
    source, fresh = freshness
    options = dict(options)
    source_name = options.pop("source", "orders")
    event_matches = options.pop("event_matches", [])
    window = dict(from_date=options.pop("from_date", ""), to_date=options.pop("to_date", ""))
    filter = options.pop("filter", [])
    request = pb.FilteredStatsRequest(
        root=root,
        filter=filter,
        events=pb.EventScope(source=source_name, match=event_matches, **window),
        freshness=fresh,
        **options,
    )
    answer = accounts.hierarchy.FilteredStats(request, timeout=30)
    rows, totals, in_scope = accounts.reference.stats(
        root,
        source_name,
        filter=matches(filter),
        event_matches=matches(event_matches),
        **window,
        **{k: v for k, v in options.items()},
    )
    assert [(tuple(r.keys), list(r.values), r.nodes) for r in answer.rows] == rows
    assert list(answer.totals) == totals and answer.nodes_in_scope == in_scope
    assert answer.next_page_token == ""
    check_meta(answer.meta, source)


def test_filtered_stats_known_values(accounts):
    """A few answers written out: the day moves with daylight saving time, numerics round half away from zero."""
    answer = accounts.hierarchy.FilteredStats(
        pb.FilteredStatsRequest(root=ACME, group_by=["day"], measures=["count", "units", "total"], freshness=LIVE),
        timeout=10,
    )
    assert [(tuple(r.keys), tuple(r.values), r.nodes) for r in answer.rows] == [
        (("2026-03-01",), (1, 4, 0), 1),  # Echo Labs: 0.049 × 10 rounds to 0
        (("2026-03-07",), (2, 13, 1023), 2),  # 04:30Z on the 8th is 23:30 EST on the 7th; 2.25 × 10 → 23
        (("2026-03-08",), (1, -2, -23), 1),  # 03:30Z on the 9th is 23:30 EDT on the 8th; -22.5 → -23
        (("2026-03-09",), (1, 5, 200), 1),
        (("2026-03-10",), (1, 0, 70), 1),  # NULL units add nothing
        (("2026-03-12",), (1, 1, 0), 1),  # NULL total adds nothing
        (("2026-03-14",), (1, 2, 30), 1),
    ]
    assert (list(answer.totals), answer.nodes_in_scope) == ([8, 23, 1300], 7)


LEADERBOARDS = [
    dict(order_by=pb.SELF, measure="total", within=ACME),
    dict(order_by=pb.TREE, measure="units", within=ACME, breakdown_by="tier", attributes=["region", "tier"]),
    dict(order_by=pb.METRIC_UNSPECIFIED, within=ACME, ascending=True),
    dict(order_by=pb.DIRECT_CHILDREN, within=BULK, limit=7, offset=3, breakdown_by="verified"),
    dict(order_by=pb.DOWNLINE_SIZE, limit=10, breakdown_by="seats", attributes=["seats"]),
    dict(
        order_by=pb.DOWNLINE_MATCHING,
        within=BULK,
        downline_filter=[match("region", "us-east"), match("verified", "true")],
        filter=[match("tier", "pro")],
        limit=20,
    ),
    dict(
        order_by=pb.TREE,
        measure="total",
        within=BULK,
        events=pb.EventScope(match=[match("status", "refunded")], from_date="2026-02-10", to_date="2026-02-20"),
        limit=5,
    ),
    dict(order_by=pb.SELF, within=BULK, events=pb.EventScope(source="openings"), measure="seats_opened", limit=5),
    dict(order_by=pb.TREE, within=ACME, offset=100),
]


@pytest.mark.parametrize("options", LEADERBOARDS, ids=[str(i) for i in range(len(LEADERBOARDS))])
def test_leaderboard(accounts, freshness, options):
    source, fresh = freshness
    request = pb.LeaderboardRequest(freshness=fresh, **options)
    answer = accounts.hierarchy.Leaderboard(request, timeout=60)
    metric = {
        pb.METRIC_UNSPECIFIED: "tree",
        pb.SELF: "self",
        pb.TREE: "tree",
        pb.DIRECT_CHILDREN: "direct_children",
        pb.DOWNLINE_SIZE: "downline_size",
        pb.DOWNLINE_MATCHING: "downline_matching",
    }[request.order_by]
    events = request.events
    rows, total = accounts.reference.leaderboard(
        metric,
        events.source or "orders",
        measure=request.measure or "count",
        ascending=request.ascending,
        filter=matches(request.filter),
        within=request.within,
        event_matches=matches(events.match),
        from_date=events.from_date,
        to_date=events.to_date,
        downline_filter=matches(request.downline_filter) or None,
        breakdown_by=request.breakdown_by,
        limit=request.limit or 50,
        offset=request.offset,
    )
    assert answer.total_ranked == total
    got = [
        dict(
            rank=r.rank,
            id=r.id,
            label=r.label,
            self=list(r.self),
            tree=list(r.tree),
            direct_children=r.direct_children,
            downline_size=r.downline_size,
            downline_matching=r.downline_matching,
            breakdown=[(k.key, k.count) for k in r.breakdown],
        )
        for r in answer.rows
    ]
    assert got == rows
    for row in answer.rows:
        node = accounts.reference.nodes[row.id]
        assert dict(row.attributes) == {name: node[1][name] or "" for name in request.attributes}
    if request.offset >= total:
        assert list(answer.rows) == []
    check_meta(answer.meta, source)


def test_cycles(accounts, freshness):
    source, fresh = freshness
    expected = accounts.reference.cycles()
    answer = accounts.hierarchy.Cycles(pb.CyclesRequest(freshness=fresh), timeout=30)
    assert [node_ids(c.members, "uuid") for c in answer.cycles] == expected
    assert answer.total == 3 and [len(g) for g in expected] == [3, 2, 1]
    limited = accounts.hierarchy.Cycles(pb.CyclesRequest(limit=2, freshness=fresh), timeout=30)
    assert [node_ids(c.members, "uuid") for c in limited.cycles] == expected[:2] and limited.total == 3
    check_meta(answer.meta, source)


def test_find_nodes(accounts, freshness):
    source, fresh = freshness
    ref = accounts.reference
    # A prefix is ASCII case-insensitive; pages of 4 continue after the last (label, id).
    request = dict(label_prefix="bULK 0001", attributes=["tier", "seats"], limit=4, freshness=fresh)
    nodes, token = [], ""
    while True:
        page = accounts.hierarchy.FindNodes(pb.FindNodesRequest(page_token=token, **request), timeout=10)
        assert len(page.nodes) <= 4
        nodes += page.nodes
        check_meta(page.meta, source)
        token = page.next_page_token
        if not token:
            break
    expected = ref.find(label_prefix="bULK 0001")
    assert [n.id for n in nodes] == expected and len(expected) == 10
    for node in nodes:
        label, attributes = ref.nodes[node.id]
        assert node.label == label
        assert dict(node.attributes) == {"tier": attributes["tier"] or "", "seats": attributes["seats"] or ""}
    # Ids in any case, unknown ones left out; empty attributes return all of them; a filter restricts.
    ids = [ACME.upper(), SHARED, str(uuid.UUID(int=5)), ACME_WEST, ECHO]
    by_id = accounts.hierarchy.FindNodes(
        pb.FindNodesRequest(ids=ids, filter=[match("tier", "free", "pro")], freshness=fresh), timeout=10
    )
    assert [n.id for n in by_id.nodes] == ref.find(ids=ids, filter=matches([match("tier", "free", "pro")]))
    assert [n.label for n in by_id.nodes] == ["Acme West", "Echo Labs", "Shared Services"]
    assert dict(by_id.nodes[2].attributes) == {"tier": "free", "region": "eu", "verified": "", "seats": "12"}
    # A filter alone, default limit 20.
    free_eu = accounts.hierarchy.FindNodes(
        pb.FindNodesRequest(filter=[match("region", "eu"), match("tier", "free")], freshness=fresh), timeout=10
    )
    expected = ref.find(filter=matches([match("region", "eu"), match("tier", "free")]))
    assert [n.id for n in free_eu.nodes] == expected[:20] and len(expected) > 20 and free_eu.next_page_token


def test_integer_and_text_models(team, tasks, freshness):
    """The other two id types through the same stubs: ids in their own field, ordered as the type orders."""
    source, fresh = freshness
    for server, root in ((team, "raj"), (tasks, "1")):
        ref = server.reference
        call = server.hierarchy.Descendants(
            pb.TraversalRequest(root=root, include_parents=True, freshness=fresh), timeout=10
        )
        ids, depths, parents, _, total, meta, _ = read_stream(call, ref.id_type)
        assert list(zip(ids, depths, parents)) == ref.traverse(root)
        check_meta(meta, source)
        cycles = server.hierarchy.Cycles(pb.CyclesRequest(freshness=fresh), timeout=10)
        assert [node_ids(c.members, ref.id_type) for c in cycles.cycles] == ref.cycles()
    stats = team.hierarchy.FilteredStats(
        pb.FilteredStatsRequest(
            root="raj", group_by=["grade", "active"], measures=["count", "amount"], freshness=fresh
        ),
        timeout=10,
    )
    rows, totals, _ = team.reference.stats(
        "raj", "sales", group_by=["grade", "active"], measures=["count", "amount"]
    )
    assert [(tuple(r.keys), list(r.values), r.nodes) for r in stats.rows] == rows and list(stats.totals) == totals
    board = tasks.hierarchy.Leaderboard(
        pb.LeaderboardRequest(order_by=pb.TREE, measure="effort", breakdown_by="priority", freshness=fresh),
        timeout=10,
    )
    rows, total = tasks.reference.leaderboard("tree", "created", measure="effort", breakdown_by="priority")
    assert [(r.id, list(r.tree), [(k.key, k.count) for k in r.breakdown]) for r in board.rows] == [
        (r["id"], r["tree"], r["breakdown"]) for r in rows
    ]
    assert board.total_ranked == total
