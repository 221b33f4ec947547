"""Every ArborClient method against running servers on the fixtures in Tests/ArborCLITests/Fixtures: `team` (text
ids, many-to-many reporting lines, sales with a scaled amount, Asia/Kolkata days) and `tasks` (integer ids, a parent
column, each task an event of its own)."""

import datetime as dt
import decimal
import uuid

import grpc
import pytest

from arbor_client import ArborError, Match, Metric, TraversedNode, node_ids, scaled
from arbor_client._generated import arbor_pb2


def test_health(team, tasks):
    assert team.health() == "SERVING"
    assert tasks.health() == "SERVING"
    with pytest.raises(ArborError) as error:
        team.health("no.such.Service")
    assert error.value.code == grpc.StatusCode.NOT_FOUND


def test_describe_text_model(team):
    model = team.describe(require_live=True)
    assert (model.id_type, model.time_zone, model.has_label) == ("text", "Asia/Kolkata", True)
    assert [(a.name, a.type, a.closed) for a in model.attributes] == [
        ("role", "text", True),
        ("region", "text", False),
        ("active", "boolean", False),
        ("grade", "integer", False),
    ]
    assert [a.distinct_values for a in model.attributes] == [4, 4, 2, 6]
    sales, visits = model.sources
    assert (sales.name, sales.dimensions, sales.events) == ("sales", ["channel", "kind"], 9)
    assert [(m.name, m.scale) for m in sales.measures] == [("count", 0), ("amount", 2)]
    assert (sales.first_day, sales.last_day) == (dt.date(2026, 1, 10), dt.date(2026, 1, 15))
    assert (visits.name, [m.name for m in visits.measures], visits.events) == ("visits", ["count"], 4)
    assert model.source() is sales and model.source("visits") is visits and model.source("nope") is None
    assert (model.nodes, model.edges, model.cycle_groups) == (11, 11, 1)
    assert model.meta.source == "live"


def test_describe_integer_model(tasks):
    model = tasks.describe()
    assert (model.id_type, model.time_zone) == ("integer", "UTC")
    assert [m.name for m in model.source().measures] == ["count", "effort"]
    assert (model.nodes, model.edges, model.cycle_groups) == (12, 10, 1)
    assert model.meta.source in ("cache", "live")


def test_descendants_stream_by_depth_then_id_with_parents_and_attributes(team):
    stream = team.descendants("raj", attributes=["label", "role"], include_parents=True, require_live=True)
    nodes = list(stream)
    assert [(n.depth, n.id, n.parent) for n in nodes] == [
        (1, "asha.c", "raj"),
        (1, "asha.d", "raj"),
        (2, "meena", "asha.c"),
        (2, "ravi", "asha.d"),
        (2, "sunil", "asha.c"),
        (3, "loop.1", "ravi"),
        (3, "priya", "sunil"),
        (4, "loop.2", "loop.1"),
    ]
    assert nodes[0].attributes == {"label": "Asha Devi", "role": "CPOC"}
    assert stream.total == 8
    assert stream.meta.source == "live" and stream.meta.version > 0
    assert isinstance(stream.meta.as_of, dt.datetime)


def test_descendants_filter_limit_and_root(team):
    stream = team.descendants(
        "raj", include_root=True, limit=2, filter=[Match.is_in("role", "RM", "VOLUNTEER")], max_staleness=3600
    )
    assert [n.id for n in stream] == ["raj", "meena"]
    assert stream.total == 6  # raj and five volunteers match before the limit
    negated = team.descendants("raj", filter=[Match.not_in("region", "north")]).collect()
    assert [n.id for n in negated] == ["asha.d", "ravi", "loop.1", "loop.2"]  # priya's NULL region never matches


def test_integer_ids_order_numerically(tasks):
    stream = tasks.descendants(1, require_live=True)
    assert stream.collect() == [
        TraversedNode("2", 1),
        TraversedNode("3", 1),
        TraversedNode("20", 1),
        TraversedNode("100", 1),
        TraversedNode("4", 2),
        TraversedNode("5", 2),
        TraversedNode("6", 2),
        TraversedNode("8", 3),
    ]
    assert stream.total == 8


def test_ancestors(team, tasks):
    stream = team.ancestors("loop.2", include_parents=True)
    assert [(n.id, n.depth, n.parent) for n in stream] == [
        ("loop.1", 1, "loop.2"),
        ("ravi", 2, "loop.1"),
        ("asha.d", 3, "ravi"),
        ("raj", 4, "asha.d"),
    ]
    assert [n.id for n in tasks.ancestors("8", max_depth=2)] == ["6", "3"]


def test_traversal_errors(team, tasks):
    with pytest.raises(ArborError) as error:
        list(team.descendants("nobody"))
    assert error.value.status == "NOT_FOUND"
    with pytest.raises(ArborError) as error:
        list(tasks.ancestors("abc"))
    assert error.value.status == "INVALID_ARGUMENT"


def test_filtered_stats_grouped_with_a_scaled_measure(team):
    stats = team.filtered_stats("raj", group_by=["day", "role"], measures=["count", "amount"], require_live=True)
    assert [(r.keys, r.values, r.nodes) for r in stats.rows] == [
        (("2026-01-10", "RM"), (1, 10000), 1),
        (("2026-01-10", "VOLUNTEER"), (1, 1234), 1),
        # 20:00Z on the 10th is the 11th in Kolkata; 5.005 rounds half away from zero to 5.01; NULL adds nothing.
        (("2026-01-11", "VOLUNTEER"), (3, 25501), 2),
        (("2026-01-12", "VOLUNTEER"), (2, 8949), 2),
        (("2026-01-13", "VOLUNTEER"), (1, 100), 1),
    ]
    assert stats.totals == (8, 45784)
    assert scaled(stats.totals[1], 2) == decimal.Decimal("457.84")
    assert stats.nodes_in_scope == 9
    assert stats.next_page_token is None
    assert stats.meta.source == "live"


def test_filtered_stats_scope_and_events(team):
    stats = team.filtered_stats(
        "raj",
        exclude_root=True,
        filter={"region": ["north", "south"]},
        event_filter=[Match.is_in("channel", "web")],
        from_date=dt.date(2026, 1, 11),
        to_date="2026-01-12",
        measures=["amount"],
    )
    assert [(r.keys, r.values) for r in stats.rows] == [((), (501,))]  # meena's web renewal; priya has no region
    assert stats.nodes_in_scope == 5  # asha.c, asha.d, sunil, meena, ravi (the loop is east, priya has none)
    visits = team.filtered_stats("asha.c", source="visits", group_by=["week", "node"])
    assert [(r.keys, r.values) for r in visits.rows] == [
        (("2026-01-05", "asha.c"), (2,)),
        (("2026-01-05", "sunil"), (1,)),
        (("2026-01-19", "meena"), (1,)),
    ]


def test_filtered_stats_pages(tasks):
    whole = tasks.filtered_stats(1, group_by=["node"], measures=["count", "effort"])
    assert [r.keys[0] for r in whole.rows] == ["1", "2", "3", "4", "5", "6", "8", "20"]
    assert whole.totals == (8, 35)
    first = tasks.filtered_stats(1, group_by=["node"], measures=["count", "effort"], limit=3)
    assert [r.keys[0] for r in first.rows] == ["1", "2", "3"] and first.next_page_token
    pages = list(tasks.filtered_stats_pages(1, group_by=["node"], measures=["count", "effort"], limit=3))
    assert [len(p.rows) for p in pages] == [3, 3, 2]
    assert all(p.totals == (8, 35) for p in pages)
    every = tasks.filtered_stats(1, group_by=["node"], measures=["count", "effort"], limit=3, all_pages=True)
    assert every.rows == whole.rows and every.next_page_token is None
    rest = tasks.filtered_stats(
        1, group_by=["node"], measures=["count", "effort"], limit=100, page_token=first.next_page_token
    )
    assert [r.keys[0] for r in rest.rows] == ["4", "5", "6", "8", "20"]


def test_filtered_stats_bad_input(team):
    with pytest.raises(ArborError) as error:
        team.filtered_stats("raj", filter={"role": "WIZARD"})
    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT and "WIZARD" in error.value.message
    with pytest.raises(ArborError) as error:
        team.filtered_stats("raj", group_by=["day", "day"])
    assert error.value.status == "INVALID_ARGUMENT"


def test_leaderboard_every_metric_column(team):
    board = team.leaderboard(
        metric="tree",
        measure="amount",
        downline_filter={"role": "VOLUNTEER"},
        breakdown_by="role",
        attributes=["region"],
        limit=2,
        require_live=True,
    )
    raj, asha = board.rows
    assert (raj.rank, raj.id, raj.label, raj.attributes) == (1, "raj", "Raj Kumar", {"region": "north"})
    assert (raj.self_measures, raj.tree_measures) == ((1, 10000), (7, 35784))
    assert (raj.direct_children, raj.downline_size, raj.downline_matching) == (2, 8, 5)
    assert list(raj.breakdown.items()) == [("CPOC", 1), ("DPOC", 2), ("VOLUNTEER", 5)]
    assert (asha.rank, asha.id, asha.tree_measures) == (2, "asha.c", (5, 25685))
    assert board.total_ranked == 11


def test_leaderboard_within_ascending_offset(tasks):
    board = tasks.leaderboard(metric=Metric.DOWNLINE_SIZE, limit=3)
    assert [(r.rank, r.id, r.downline_size) for r in board.rows] == [(1, "1", 8), (2, "3", 3), (3, "2", 1)]
    assert board.total_ranked == 12
    within = tasks.leaderboard(metric="self", measure="effort", within=1, ascending=True, offset=1, limit=2)
    # Ranked: the 8 below task 1 by their own effort, smallest first: 6 (NULL effort) and 100 (no time, so no
    # event) have 0 and tie, broken by id numerically; offset 1 skips 6.
    assert [(r.rank, r.id, r.self_measures) for r in within.rows] == [(2, "100", (0, 0)), (3, "8", (1, 1))]
    assert within.total_ranked == 8


def test_cycles(team, tasks):
    cycles = team.cycles(max_staleness=3600)
    assert cycles.groups == [["loop.1", "loop.2"]] and cycles.total == 1
    live = tasks.cycles(limit=1, require_live=True)
    assert live.groups == [["10", "11"]] and live.meta.source == "live"


def test_find_nodes(team, tasks):
    found = team.find_nodes(label_prefix="raj", require_live=True)
    assert [(n.id, n.label) for n in found.nodes] == [("kumar", "Raj"), ("raj", "Raj Kumar")]
    assert found.nodes[1].attributes == {"role": "RM", "region": "north", "active": "true", "grade": "1"}
    by_id = team.find_nodes(ids=["priya", "lone", "nobody"], attributes=["region"])
    assert [(n.id, n.attributes) for n in by_id.nodes] == [("lone", {"region": "west"}), ("priya", {"region": ""})]
    pages = list(tasks.find_nodes_pages(filter={"status": "open"}, limit=3))
    assert [len(p.nodes) for p in pages] == [3, 3, 1]
    every = tasks.find_nodes(filter={"status": "open"}, limit=3, all_pages=True)
    assert [n.label for n in every.nodes] == ["404", "Build", "Launch", "Loop A", "Loop B", "Release notes", "Review"]
    assert [n.id for n in tasks.find_nodes(ids=[8, 100, 7]).nodes] == ["8", "100"]


def test_find_nodes_needs_a_condition(team):
    with pytest.raises(ArborError) as error:
        team.find_nodes()
    assert error.value.status == "INVALID_ARGUMENT"


def test_deadline(team):
    with pytest.raises(ArborError) as error:
        team.filtered_stats("raj", require_live=True, timeout=0.000001)
    assert error.value.code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_node_ids_of_every_type():
    first = uuid.UUID("8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2b")
    assert node_ids(arbor_pb2.NodeIds(uuids=first.bytes + uuid.UUID(int=1).bytes)) == [
        "8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2b",
        "00000000-0000-0000-0000-000000000001",
    ]
    assert node_ids(arbor_pb2.NodeIds(ints=[-5, 0, 2**63 - 1])) == ["-5", "0", str(2**63 - 1)]
    assert node_ids(arbor_pb2.NodeIds(texts=["a", ""])) == ["a", ""]
    assert node_ids(arbor_pb2.NodeIds()) == []
    for bad in [arbor_pb2.NodeIds(uuids=b"x" * 15), arbor_pb2.NodeIds(ints=[1], texts=["1"])]:
        with pytest.raises(ArborError):
            node_ids(bad)


ACME = uuid.UUID("7a000000-0000-4000-8000-000000000001")
BULK = uuid.UUID("99999999-0000-4000-8000-000000000000")


def test_uuid_model_takes_uuid_objects_and_any_case(accounts):
    model = accounts.describe(max_staleness=3600)
    assert (model.id_type, model.time_zone, model.nodes) == ("uuid", "America/New_York", 20010)
    assert [(a.name, a.type, a.closed) for a in model.attributes] == [
        ("tier", "text", False),  # a PostgreSQL enum travels as text
        ("region", "text", True),
        ("verified", "boolean", False),
        ("seats", "integer", False),
    ]
    assert [(m.name, m.scale) for m in model.source("orders").measures] == [("count", 0), ("units", 0), ("total", 1)]
    assert model.source("openings").measures[1].name == "seats_opened"
    by_object = accounts.descendants(ACME, include_parents=True).collect()
    by_text = accounts.descendants(str(ACME).upper(), include_parents=True).collect()
    assert by_object == by_text
    assert [(n.id[:2], n.depth, n.parent[:2]) for n in by_object] == [
        ("2e", 1, "7a"),
        ("c3", 1, "7a"),
        ("e0", 1, "7a"),
        ("05", 2, "2e"),  # Shared Services is under both Acme East and Acme West: the smaller id is its parent
        ("b0", 2, "2e"),
        ("f0", 2, "c3"),
    ]


def test_stream_of_many_chunks_and_cancel(accounts):
    stream = accounts.descendants(BULK, attributes=["label"], include_parents=True, max_staleness=3600)
    nodes = stream.collect()
    assert len(nodes) == stream.total == 20000
    assert nodes[0].attributes["label"].startswith("Bulk ") and {n.depth for n in nodes} == {1, 2, 3}
    partial = accounts.descendants(BULK, attributes=["label"], include_parents=True)
    iterator = iter(partial)
    first = next(iterator)
    assert first == nodes[0]
    partial.cancel()
    with pytest.raises(ArborError) as error:
        list(iterator)
    assert error.value.code == grpc.StatusCode.CANCELLED
    assert partial.total is None
    assert accounts.health() == "SERVING"


def test_uuid_model_stats_leaderboard_find_and_cycles(accounts):
    stats = accounts.filtered_stats(ACME, group_by=["day"], measures=["count", "total"], require_live=True)
    # Around the start of daylight saving time in New York; totals at scale 1, rounded half away from zero.
    assert [(r.keys[0], r.values) for r in stats.rows][1:4] == [
        ("2026-03-07", (2, 1023)),
        ("2026-03-08", (1, -23)),
        ("2026-03-09", (1, 200)),
    ]
    assert scaled(stats.totals[1], 1) == decimal.Decimal("130.0")
    openings = accounts.filtered_stats(ACME, source="openings", group_by=["month"], measures=["seats_opened"])
    assert [(r.keys, r.values) for r in openings.rows] == [
        (("2020-01",), (500,)),
        (("2021-06",), (200,)),  # Acme East and Acme West; Shared Services has no opening date
        (("2022-02",), (40,)),
        (("2023-11",), (0,)),  # Seattle Office: NULL seats add nothing
        (("2024-02",), (3,)),
    ]
    board = accounts.leaderboard(metric="tree", measure="total", within=ACME, breakdown_by="tier", limit=2)
    assert [(r.id[:2], r.tree_measures, dict(r.breakdown)) for r in board.rows] == [
        ("2e", (4, 5, 277), {"free": 1, "pro": 1}),  # count, units, total of Boston Office and Shared Services
        ("c3", (3, 3, 100), {"free": 2}),
    ]
    assert board.total_ranked == 6
    found = accounts.find_nodes(ids=[ACME, BULK, uuid.UUID(int=3)], attributes=["tier"])
    assert [(n.label, n.attributes) for n in found.nodes] == [
        ("Acme Holdings", {"tier": "enterprise"}),
        ("Bulk Root", {"tier": "enterprise"}),
    ]
    assert [len(g) for g in accounts.cycles(require_live=True).groups] == [3, 2, 1]
    with pytest.raises(ArborError) as error:
        accounts.find_nodes(ids=["7a000000"])
    assert error.value.status == "INVALID_ARGUMENT" and "7a000000" in error.value.message
