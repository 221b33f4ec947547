"""Every ArborClient method against a running server on the fixed dataset (Tests/ArborCLITests/Fixtures)."""

import datetime as dt
import uuid

import grpc
import pytest

from arbor_client import ArborError, DescendantEntry, Dimension, Metric, UserFilter

RAJ = uuid.UUID("00000000-0000-4000-8000-000000000001")
ASHA_CPOC = uuid.UUID("00000000-0000-4000-8000-000000000002")
ASHA_DPOC = uuid.UUID("00000000-0000-4000-8000-000000000003")
SUNIL = uuid.UUID("00000000-0000-4000-8000-000000000004")
MEENA = uuid.UUID("00000000-0000-4000-8000-000000000005")
RAVI = uuid.UUID("00000000-0000-4000-8000-000000000006")
PRIYA = uuid.UUID("00000000-0000-4000-8000-000000000007")
CYC_ONE = uuid.UUID("00000000-0000-4000-8000-000000000008")
CYC_TWO = uuid.UUID("00000000-0000-4000-8000-000000000009")
LONE = uuid.UUID("00000000-0000-4000-8000-000000000010")


def test_health(arbor):
    assert arbor.health() == "SERVING"


def test_health_unknown_service(arbor):
    with pytest.raises(ArborError) as error:
        arbor.health("no.such.Service")
    assert error.value.code == grpc.StatusCode.NOT_FOUND


def test_descendants_streams_entries_by_depth_then_id(arbor):
    stream = arbor.descendants(RAJ, require_live=True)
    entries = list(stream)
    assert entries == [
        DescendantEntry(ASHA_CPOC, 1),
        DescendantEntry(ASHA_DPOC, 1),
        DescendantEntry(SUNIL, 2),
        DescendantEntry(MEENA, 2),
        DescendantEntry(RAVI, 2),
        DescendantEntry(PRIYA, 3),
        DescendantEntry(CYC_ONE, 3),
        DescendantEntry(CYC_TWO, 4),
    ]
    assert stream.total == 8
    assert stream.meta.source == "live"
    assert stream.meta.version > 0
    assert isinstance(stream.meta.as_of, dt.datetime)


def test_descendants_filter_limit_and_root(arbor):
    stream = arbor.descendants(
        str(RAJ), include_root=True, limit=2, filter=UserFilter(roles=["RM", "VOLUNTEER"]), max_staleness=3600
    )
    assert [e.id for e in stream] == [RAJ, MEENA]
    assert stream.total == 6  # Raj and 5 volunteers match before the limit
    assert stream.meta.source in ("cache", "live")


def test_descendants_unknown_root_is_not_found(arbor):
    with pytest.raises(ArborError) as error:
        list(arbor.descendants(uuid.UUID(int=255)))
    assert error.value.status == "NOT_FOUND"


def test_filtered_stats_grouped_by_day_and_role(arbor):
    stats = arbor.filtered_stats(
        RAJ,
        from_date=dt.date(2026, 1, 10),
        to_date=dt.date(2026, 1, 12),
        group_by=[Dimension.DAY, "role"],
        require_live=True,
    )
    assert [(r.keys, r.registrations, r.registering_users) for r in stats.rows] == [
        (("2026-01-10", "RM"), 1, 1),
        (("2026-01-10", "VOLUNTEER"), 5, 2),
        (("2026-01-11", "VOLUNTEER"), 2, 2),
        (("2026-01-12", "VOLUNTEER"), 1, 1),
    ]
    assert stats.total_registrations == 9
    assert stats.users_in_scope == 10 - 1  # everyone but Lone Wolf
    assert stats.meta.source == "live"


def test_filtered_stats_filters(arbor):
    stats = arbor.filtered_stats(
        RAJ, exclude_root=True, channels=["web"], user_filter=UserFilter(districts=["Patna"]), require_live=True
    )
    assert [(r.keys, r.registrations) for r in stats.rows] == [((), 1)]
    assert stats.users_in_scope == 3  # Asha (CPOC), Sunil, Meena


def test_filtered_stats_bad_role_is_invalid_argument(arbor):
    with pytest.raises(ArborError) as error:
        arbor.filtered_stats(RAJ, user_filter=UserFilter(roles=["WIZARD"]))
    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.value.message


def test_leaderboard_by_downline(arbor):
    board = arbor.leaderboard(metric="downline", limit=3, require_live=True)
    # Ties break by id: the two Asha Devis both have 3 below them.
    assert [(r.rank, r.user_id, r.downline_size) for r in board.rows] == [
        (1, RAJ, 8),
        (2, ASHA_CPOC, 3),
        (3, ASHA_DPOC, 3),
    ]
    assert board.total_ranked == 10
    assert board.rows[0].name == "Raj Kumar"
    assert board.rows[0].downline_by_role == {"CPOC": 1, "DPOC": 2, "VOLUNTEER": 5}


def test_leaderboard_role_metric_within_window(arbor):
    board = arbor.leaderboard(
        metric=Metric.DOWNLINE_ROLE, order_role="VOLUNTEER", within=RAJ, from_date="2026-01-11", require_live=True
    )
    assert board.rows[0].downline_by_role.get("VOLUNTEER") >= board.rows[-1].downline_by_role.get("VOLUNTEER", 0)
    assert RAJ not in [r.user_id for r in board.rows]
    assert board.total_ranked == 8


def test_cycles(arbor):
    cycles = arbor.cycles(max_staleness=3600)
    assert cycles.cycles == [[CYC_ONE, CYC_TWO]]
    assert cycles.total == 1
    assert cycles.meta.source == "cache"
    assert arbor.cycles(limit=1, max_staleness=3600).cycles == [[CYC_ONE, CYC_TWO]]
    live = arbor.cycles(require_live=True)
    assert live.cycles == cycles.cycles and live.meta.source == "live"


def test_find_users_by_prefix_and_ids(arbor):
    found = arbor.find_users(name_prefix="asha", require_live=True)
    assert [u.id for u in found.users] == [ASHA_CPOC, ASHA_DPOC]
    assert found.users[0].district == "Patna" and found.users[0].role == "CPOC"
    by_id = arbor.find_users(ids=[PRIYA, LONE, uuid.UUID(int=255)])
    assert sorted(u.name for u in by_id.users) == ["Lone Wolf", "Priya Singh"]
    priya = [u for u in by_id.users if u.id == PRIYA][0]
    assert priya.district == "" and priya.active and priya.app_installed


def test_find_users_needs_a_prefix_or_ids(arbor):
    with pytest.raises(ArborError) as error:
        arbor.find_users()
    assert error.value.status == "INVALID_ARGUMENT"


def test_deadline(arbor):
    with pytest.raises(ArborError) as error:
        arbor.filtered_stats(RAJ, require_live=True, timeout=0.000001)
    assert error.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
