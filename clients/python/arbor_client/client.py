"""ArborClient: every call of arbor.v1.Hierarchy and the health check, with friendly types."""

from __future__ import annotations

import datetime as _dt
import enum
import uuid as _uuid
from typing import Iterable, Iterator, List, Optional, Sequence, Union

import grpc

from ._generated import arbor_pb2, arbor_pb2_grpc, health_pb2, health_pb2_grpc
from .errors import ArborError
from .types import (
    Cycles,
    DescendantEntry,
    FilteredStats,
    FoundUsers,
    Leaderboard,
    LeaderboardRow,
    ResponseMeta,
    StatsRow,
    User,
    UserFilter,
)

UserRef = Union[_uuid.UUID, str, bytes]
DateLike = Union[_dt.date, str, None]


class Dimension(enum.IntEnum):
    """``group_by`` dimensions of FilteredStats."""

    DAY = 1
    ROLE = 2
    USER = 3
    STATE = 4
    DISTRICT = 5
    BLOCK = 6
    VILLAGE = 7
    REGISTRATION_TYPE = 8
    CHANNEL = 9


class Metric(enum.IntEnum):
    """Leaderboard ordering; DOWNLINE_ROLE needs ``order_role``."""

    SELF_REGISTRATIONS = 1
    TREE_REGISTRATIONS = 2
    DIRECT_CHILDREN = 3
    DOWNLINE_SIZE = 4
    DOWNLINE_ROLE = 5


_SOURCES = {arbor_pb2.CACHE: "cache", arbor_pb2.LIVE: "live"}


def _id_bytes(user: UserRef) -> bytes:
    if isinstance(user, _uuid.UUID):
        return user.bytes
    if isinstance(user, bytes):
        return user
    return _uuid.UUID(str(user)).bytes


def _ids(blob: bytes) -> List[_uuid.UUID]:
    return [_uuid.UUID(bytes=blob[i : i + 16]) for i in range(0, len(blob), 16)]


def _date(value: DateLike) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        raise TypeError("pass a datetime.date (a day), not a datetime")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _meta(message) -> ResponseMeta:
    return ResponseMeta(
        source=_SOURCES.get(message.source, "unspecified"),
        as_of=_dt.datetime.fromtimestamp(message.as_of_unix_ms / 1000, tz=_dt.timezone.utc),
        version=message.version,
        stale=message.stale,
    )


def _user_filter(value: Optional[UserFilter]):
    if value is None:
        return None
    message = arbor_pb2.UserFilter(
        roles=list(value.roles),
        states=list(value.states),
        districts=list(value.districts),
        blocks=list(value.blocks),
        villages=list(value.villages),
    )
    if value.active is not None:
        message.active = value.active
    if value.app_installed is not None:
        message.app_installed = value.app_installed
    return message


def _freshness(max_staleness: Optional[float], require_live: bool, min_version: int):
    """``max_staleness`` in seconds (None = the server's default); sent in whole milliseconds, at least 1."""
    milliseconds = 0
    if max_staleness is not None:
        if max_staleness < 0:
            raise ValueError("max_staleness must not be negative")
        milliseconds = min(2**32 - 1, max(1, int(round(max_staleness * 1000))))
    return arbor_pb2.Freshness(
        max_staleness_ms=milliseconds, require_live=require_live, min_version=min_version
    )


def _dimension(value: Union[Dimension, str, int]) -> int:
    if isinstance(value, str):
        name = value.upper()
        if name == "TYPE":
            name = "REGISTRATION_TYPE"
        return int(Dimension[name])
    return int(value)


def _metric(value: Union[Metric, str, int], order_role: Optional[str]):
    """Accepts a Metric, or the CLI's words: tree, self, children, downline, role:NAME."""
    if isinstance(value, str):
        words = {
            "tree": Metric.TREE_REGISTRATIONS,
            "self": Metric.SELF_REGISTRATIONS,
            "children": Metric.DIRECT_CHILDREN,
            "downline": Metric.DOWNLINE_SIZE,
        }
        if value.lower().startswith("role:"):
            return int(Metric.DOWNLINE_ROLE), value[5:]
        if value.lower() in words:
            return int(words[value.lower()]), order_role or ""
        return int(Metric[value.upper()]), order_role or ""
    return int(value), order_role or ""


class DescendantsStream:
    """Entries of a Descendants call as they arrive; ``total`` and ``meta`` are set once it is exhausted.

    Iterate once. ``cancel()`` (or leaving the iteration and dropping the stream) stops the call.
    """

    def __init__(self, call):
        self._call = call
        self.total: Optional[int] = None
        self.meta: Optional[ResponseMeta] = None

    def __iter__(self) -> Iterator[DescendantEntry]:
        try:
            for chunk in self._call:
                ids = _ids(chunk.ids)
                if len(ids) != len(chunk.depths) or len(chunk.ids) % 16:
                    raise ArborError(grpc.StatusCode.INTERNAL, "malformed DescendantsChunk")
                for id_, depth in zip(ids, chunk.depths):
                    yield DescendantEntry(id=id_, depth=depth)
                if chunk.HasField("meta"):
                    self.total = chunk.total
                    self.meta = _meta(chunk.meta)
        except grpc.RpcError as error:
            raise ArborError.from_rpc_error(error) from None

    def cancel(self) -> None:
        self._call.cancel()


class ArborClient:
    """A client for one Arbor server. Use as a context manager or call ``close()``.

    Every method takes ``timeout`` (seconds; default the client's) and the freshness options
    ``max_staleness`` (seconds), ``require_live`` and ``min_version``, and raises ``ArborError``.
    """

    def __init__(self, target: str = "127.0.0.1:50051", *, timeout: Optional[float] = 30.0, channel=None):
        self._channel = channel or grpc.insecure_channel(target)
        self._hierarchy = arbor_pb2_grpc.HierarchyStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._timeout = timeout

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "ArborClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method, request, timeout):
        try:
            return method(request, timeout=self._timeout if timeout is None else timeout)
        except grpc.RpcError as error:
            raise ArborError.from_rpc_error(error) from None

    def descendants(
        self,
        root: UserRef,
        *,
        max_depth: int = 0,
        filter: Optional[UserFilter] = None,
        include_root: bool = False,
        limit: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> DescendantsStream:
        """Everyone below ``root`` by depth then id, streamed."""
        request = arbor_pb2.DescendantsRequest(
            root=_id_bytes(root),
            max_depth=max_depth,
            filter=_user_filter(filter),
            include_root=include_root,
            limit=limit,
            freshness=_freshness(max_staleness, require_live, min_version),
        )
        call = self._hierarchy.Descendants(request, timeout=self._timeout if timeout is None else timeout)
        return DescendantsStream(call)

    def filtered_stats(
        self,
        root: UserRef,
        *,
        exclude_root: bool = False,
        max_depth: int = 0,
        user_filter: Optional[UserFilter] = None,
        registration_types: Sequence[str] = (),
        channels: Sequence[str] = (),
        from_date: DateLike = None,
        to_date: DateLike = None,
        group_by: Sequence[Union[Dimension, str]] = (),
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> FilteredStats:
        """Registration counts over ``root`` and its downline, grouped by ``group_by`` (e.g. ``["day", "role"]``)."""
        request = arbor_pb2.FilteredStatsRequest(
            root=_id_bytes(root),
            exclude_root=exclude_root,
            max_depth=max_depth,
            user_filter=_user_filter(user_filter),
            registration_types=list(registration_types),
            channels=list(channels),
            from_date=_date(from_date),
            to_date=_date(to_date),
            group_by=[_dimension(d) for d in group_by],
            freshness=_freshness(max_staleness, require_live, min_version),
        )
        response = self._call(self._hierarchy.FilteredStats, request, timeout)
        return FilteredStats(
            rows=[StatsRow(tuple(r.keys), r.registrations, r.registering_users) for r in response.rows],
            total_registrations=response.total_registrations,
            users_in_scope=response.users_in_scope,
            meta=_meta(response.meta),
        )

    def leaderboard(
        self,
        *,
        metric: Union[Metric, str] = Metric.TREE_REGISTRATIONS,
        order_role: Optional[str] = None,
        ascending: bool = False,
        filter: Optional[UserFilter] = None,
        within: Optional[UserRef] = None,
        registration_types: Sequence[str] = (),
        channels: Sequence[str] = (),
        from_date: DateLike = None,
        to_date: DateLike = None,
        limit: int = 0,
        offset: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Leaderboard:
        """Users ranked by ``metric`` (a Metric or ``"tree"``, ``"self"``, ``"children"``, ``"downline"``,
        ``"role:NAME"``); ``limit`` 0 means 50."""
        order_by, role = _metric(metric, order_role)
        request = arbor_pb2.LeaderboardRequest(
            order_by=order_by,
            order_role=role,
            ascending=ascending,
            filter=_user_filter(filter),
            within=_id_bytes(within) if within is not None else b"",
            registration_types=list(registration_types),
            channels=list(channels),
            from_date=_date(from_date),
            to_date=_date(to_date),
            limit=limit,
            offset=offset,
            freshness=_freshness(max_staleness, require_live, min_version),
        )
        response = self._call(self._hierarchy.Leaderboard, request, timeout)
        rows = [
            LeaderboardRow(
                rank=r.rank,
                user_id=_uuid.UUID(bytes=r.user_id),
                name=r.name,
                role=r.role,
                self_registrations=r.self_registrations,
                tree_registrations=r.tree_registrations,
                direct_children=r.direct_children,
                downline_size=r.downline_size,
                downline_by_role={c.role: c.count for c in r.downline_by_role},
            )
            for r in response.rows
        ]
        return Leaderboard(rows=rows, total_ranked=response.total_ranked, meta=_meta(response.meta))

    def cycles(
        self,
        *,
        limit: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Cycles:
        """Every group of users that reach each other (``limit`` 0 = all)."""
        request = arbor_pb2.CyclesRequest(
            limit=limit, freshness=_freshness(max_staleness, require_live, min_version)
        )
        response = self._call(self._hierarchy.Cycles, request, timeout)
        return Cycles(
            cycles=[_ids(c.members) for c in response.cycles], total=response.total, meta=_meta(response.meta)
        )

    def find_users(
        self,
        *,
        name_prefix: Optional[str] = None,
        ids: Optional[Iterable[UserRef]] = None,
        limit: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> FoundUsers:
        """Users by name prefix (ASCII case-insensitive) and/or ids, by name then id; ``limit`` 0 means 20."""
        request = arbor_pb2.FindUsersRequest(
            name_prefix=name_prefix or "",
            ids=b"".join(_id_bytes(i) for i in ids) if ids is not None else b"",
            limit=limit,
            freshness=_freshness(max_staleness, require_live, min_version),
        )
        response = self._call(self._hierarchy.FindUsers, request, timeout)
        users = [
            User(
                id=_uuid.UUID(bytes=u.id),
                name=u.name,
                role=u.role,
                state=u.state,
                district=u.district,
                block=u.block,
                village=u.village,
                active=u.active,
                app_installed=u.app_installed,
            )
            for u in response.users
        ]
        return FoundUsers(users=users, meta=_meta(response.meta))

    def health(self, service: str = "", *, timeout: Optional[float] = None) -> str:
        """``"SERVING"`` once the server answers from its snapshot, else ``"NOT_SERVING"``."""
        response = self._call(self._health.Check, health_pb2.HealthCheckRequest(service=service), timeout)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
