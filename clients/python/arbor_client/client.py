"""ArborClient: every call of arbor.v2.Hierarchy and the health check, with friendly types.

Ids travel as their canonical text whatever the model's id type (a UUID in lowercase 8-4-4-4-12 form, an integer in
decimal, text as is); the per-type ``NodeIds`` of responses are read into such strings.
"""

from __future__ import annotations

import datetime as _dt
import enum
import uuid as _uuid
from typing import Callable, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import grpc

from ._generated import arbor_pb2, arbor_pb2_grpc, health_pb2, health_pb2_grpc
from .errors import ArborError
from .types import (
    AttributeInfo,
    Cycles,
    EventSourceInfo,
    Leaderboard,
    LeaderboardRow,
    Match,
    MeasureInfo,
    ModelDescription,
    Node,
    NodePage,
    ResponseMeta,
    StatsPage,
    StatsRow,
    TraversedNode,
)

NodeRef = Union[str, int, _uuid.UUID]
DateLike = Union[_dt.date, str, None]
# A filter: Match values, or a mapping of name to one value or a list of values (each must hold).
Filter = Union[Sequence[Match], Mapping[str, Union[str, Sequence[str]]], None]


class Metric(enum.IntEnum):
    """What a Leaderboard ranks by (the contract's ``Metric``)."""

    SELF = 1
    TREE = 2
    DIRECT_CHILDREN = 3
    DOWNLINE_SIZE = 4
    DOWNLINE_MATCHING = 5


_METRIC_WORDS = {
    "self": Metric.SELF,
    "tree": Metric.TREE,
    "children": Metric.DIRECT_CHILDREN,
    "downline": Metric.DOWNLINE_SIZE,
    "matching": Metric.DOWNLINE_MATCHING,
}

_SOURCES = {arbor_pb2.CACHE: "cache", arbor_pb2.LIVE: "live"}


def _id(node: NodeRef) -> str:
    """A node reference as the canonical text the server takes (UUIDs lowercase, integers in decimal)."""
    if isinstance(node, _uuid.UUID):
        return str(node)
    if isinstance(node, bool):
        raise TypeError("a node id is text, an integer or a UUID, not a bool")
    if isinstance(node, int):
        return str(node)
    return node


def node_ids(message) -> List[str]:
    """The ids of a ``NodeIds`` message as canonical text, from whichever one field is set."""
    set_fields = [bool(message.uuids), bool(message.ints), bool(message.texts)]
    if sum(set_fields) > 1:
        raise ArborError(grpc.StatusCode.INTERNAL, "malformed NodeIds: more than one of uuids, ints, texts is set")
    if message.ints:
        return [str(value) for value in message.ints]
    if message.texts:
        return list(message.texts)
    blob = message.uuids
    if len(blob) % 16:
        raise ArborError(grpc.StatusCode.INTERNAL, f"malformed NodeIds: {len(blob)} uuid bytes")
    return [str(_uuid.UUID(bytes=blob[i : i + 16])) for i in range(0, len(blob), 16)]


def _date(value: DateLike) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        raise TypeError("pass a datetime.date (a day), not a datetime")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _day(text: str) -> Optional[_dt.date]:
    return _dt.date.fromisoformat(text) if text else None


def _meta(message) -> ResponseMeta:
    return ResponseMeta(
        source=_SOURCES.get(message.source, "unspecified"),
        as_of=_dt.datetime.fromtimestamp(message.as_of_unix_ms / 1000, tz=_dt.timezone.utc),
        version=message.version,
        stale=message.stale,
    )


def _matches(value: Filter) -> List:
    if not value:
        return []
    if isinstance(value, Mapping):
        value = [Match(name, (v,) if isinstance(v, str) else tuple(v)) for name, v in value.items()]
    return [arbor_pb2.Match(name=m.name, values=list(m.values), negate=m.negate) for m in value]


def _events(source: Optional[str], event_filter: Filter, from_date: DateLike, to_date: DateLike):
    if not (source or event_filter or from_date or to_date):
        return None
    return arbor_pb2.EventScope(
        source=source or "", match=_matches(event_filter), from_date=_date(from_date), to_date=_date(to_date)
    )


def _freshness(max_staleness: Optional[float], require_live: bool, min_version: int):
    """``max_staleness`` in seconds (None = the server's default); sent in whole milliseconds, at least 1."""
    if max_staleness is None and not require_live and not min_version:
        return None
    milliseconds = 0
    if max_staleness is not None:
        if max_staleness < 0:
            raise ValueError("max_staleness must not be negative")
        milliseconds = min(2**32 - 1, max(1, int(round(max_staleness * 1000))))
    return arbor_pb2.Freshness(max_staleness_ms=milliseconds, require_live=require_live, min_version=min_version)


def _metric(value: Union[Metric, str, int]) -> int:
    """A Metric, or the CLI's words: self, tree, children, downline, matching (or the contract's names)."""
    if isinstance(value, str):
        word = value.lower()
        if word in _METRIC_WORDS:
            return int(_METRIC_WORDS[word])
        return int(Metric[value.upper()])
    return int(value)


class NodeStream:
    """Nodes of a Descendants or Ancestors call as they arrive; ``total`` and ``meta`` are set once it is exhausted.

    Iterate once. ``cancel()`` (or leaving the iteration and dropping the stream) stops the call.
    """

    def __init__(self, call, attributes: Sequence[str], include_parents: bool):
        self._call = call
        self._attributes = list(attributes)
        self._include_parents = include_parents
        self.total: Optional[int] = None
        self.meta: Optional[ResponseMeta] = None

    def __iter__(self) -> Iterator[TraversedNode]:
        try:
            for chunk in self._call:
                ids = node_ids(chunk.ids)
                parents = node_ids(chunk.parents) if self._include_parents else []
                columns = [list(column.values) for column in chunk.attributes]
                if (
                    len(ids) != len(chunk.depths)
                    or (self._include_parents and len(parents) != len(ids))
                    or (ids and len(columns) != len(self._attributes))
                    or any(len(column) != len(ids) for column in columns)
                ):
                    raise ArborError(grpc.StatusCode.INTERNAL, "malformed NodesChunk: its fields do not align")
                for index, (id_, depth) in enumerate(zip(ids, chunk.depths)):
                    yield TraversedNode(
                        id=id_,
                        depth=depth,
                        parent=parents[index] if self._include_parents else None,
                        attributes={name: column[index] for name, column in zip(self._attributes, columns)},
                    )
                if chunk.HasField("meta"):
                    self.total = chunk.total
                    self.meta = _meta(chunk.meta)
        except grpc.RpcError as error:
            raise ArborError.from_rpc_error(error) from None

    def collect(self) -> List[TraversedNode]:
        """Every node in a list (for small answers); ``total`` and ``meta`` are set afterwards."""
        return list(self)

    def cancel(self) -> None:
        self._call.cancel()


class ArborClient:
    """A client for one Arbor server. Use as a context manager or call ``close()``.

    Every method takes ``timeout`` (seconds; default the client's) and the freshness options
    ``max_staleness`` (seconds), ``require_live`` and ``min_version``, and raises ``ArborError``.
    Nodes are given as ids: text, an ``int`` or a ``uuid.UUID``; results carry ids as canonical text.
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

    # Describe

    def describe(
        self,
        *,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> ModelDescription:
        """The model: id type, attributes, event sources with dimensions and measures, and counts."""
        request = arbor_pb2.DescribeRequest(freshness=_freshness(max_staleness, require_live, min_version))
        response = self._call(self._hierarchy.Describe, request, timeout)
        return ModelDescription(
            id_type=response.id_type,
            time_zone=response.time_zone,
            has_label=response.has_label,
            attributes=[AttributeInfo(a.name, a.type, a.closed, a.distinct_values) for a in response.attributes],
            sources=[
                EventSourceInfo(
                    name=s.name,
                    dimensions=list(s.dimensions),
                    measures=[MeasureInfo(m.name, m.scale) for m in s.measures],
                    first_day=_day(s.first_day),
                    last_day=_day(s.last_day),
                    events=s.events,
                )
                for s in response.sources
            ],
            nodes=response.nodes,
            edges=response.edges,
            cycle_groups=response.cycle_groups,
            meta=_meta(response.meta),
        )

    # Descendants and Ancestors

    def _traversal(self, method, root, max_depth, filter, include_root, limit, attributes, include_parents,
                   freshness, timeout) -> NodeStream:
        request = arbor_pb2.TraversalRequest(
            root=_id(root),
            max_depth=max_depth,
            filter=_matches(filter),
            include_root=include_root,
            limit=limit,
            attributes=list(attributes),
            include_parents=include_parents,
            freshness=freshness,
        )
        call = method(request, timeout=self._timeout if timeout is None else timeout)
        return NodeStream(call, attributes, include_parents)

    def descendants(
        self,
        root: NodeRef,
        *,
        max_depth: int = 0,
        filter: Filter = None,
        include_root: bool = False,
        limit: int = 0,
        attributes: Sequence[str] = (),
        include_parents: bool = False,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> NodeStream:
        """Every node below ``root`` by depth then id, streamed; ``attributes`` may include ``"label"``."""
        return self._traversal(
            self._hierarchy.Descendants, root, max_depth, filter, include_root, limit, attributes, include_parents,
            _freshness(max_staleness, require_live, min_version), timeout)

    def ancestors(
        self,
        root: NodeRef,
        *,
        max_depth: int = 0,
        filter: Filter = None,
        include_root: bool = False,
        limit: int = 0,
        attributes: Sequence[str] = (),
        include_parents: bool = False,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> NodeStream:
        """Every node above ``root`` (from which it is reachable) by depth then id, streamed."""
        return self._traversal(
            self._hierarchy.Ancestors, root, max_depth, filter, include_root, limit, attributes, include_parents,
            _freshness(max_staleness, require_live, min_version), timeout)

    # FilteredStats

    def filtered_stats_pages(
        self,
        root: NodeRef,
        *,
        exclude_root: bool = False,
        max_depth: int = 0,
        filter: Filter = None,
        source: Optional[str] = None,
        event_filter: Filter = None,
        from_date: DateLike = None,
        to_date: DateLike = None,
        group_by: Sequence[str] = (),
        measures: Sequence[str] = (),
        limit: int = 1000,
        page_token: str = "",
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Iterator[StatsPage]:
        """FilteredStats page by page (``limit`` rows each), each page asked for as the iteration reaches it."""
        request = arbor_pb2.FilteredStatsRequest(
            root=_id(root),
            exclude_root=exclude_root,
            max_depth=max_depth,
            filter=_matches(filter),
            events=_events(source, event_filter, from_date, to_date),
            group_by=list(group_by),
            measures=list(measures),
            freshness=_freshness(max_staleness, require_live, min_version),
            limit=limit,
        )

        def page(response) -> StatsPage:
            return StatsPage(
                rows=[StatsRow(tuple(r.keys), tuple(r.values), r.nodes) for r in response.rows],
                totals=tuple(response.totals),
                nodes_in_scope=response.nodes_in_scope,
                next_page_token=response.next_page_token or None,
                meta=_meta(response.meta),
            )

        return self._pages(self._hierarchy.FilteredStats, request, page_token, page, timeout)

    def filtered_stats(
        self,
        root: NodeRef,
        *,
        all_pages: bool = False,
        limit: int = 0,
        **options,
    ) -> StatsPage:
        """Measures of the events of ``root`` and its descendants, grouped by ``group_by`` (``day``, ``week``,
        ``month``, ``node``, attributes, dimensions). ``limit`` rows per page (0 = all in one answer);
        ``all_pages=True`` follows the page tokens and returns every row. Takes the keywords of
        ``filtered_stats_pages``."""
        if all_pages and not limit:
            limit = 1000
        pages = self.filtered_stats_pages(root, limit=limit, **options)
        if not all_pages:
            return next(pages)
        return _merge_stats(list(pages))

    # Leaderboard

    def leaderboard(
        self,
        *,
        metric: Union[Metric, str] = Metric.TREE,
        measure: Optional[str] = None,
        ascending: bool = False,
        filter: Filter = None,
        within: Optional[NodeRef] = None,
        source: Optional[str] = None,
        event_filter: Filter = None,
        from_date: DateLike = None,
        to_date: DateLike = None,
        downline_filter: Filter = None,
        breakdown_by: Optional[str] = None,
        attributes: Sequence[str] = (),
        limit: int = 0,
        offset: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Leaderboard:
        """Nodes ranked by ``metric`` (a Metric or ``"self"``, ``"tree"``, ``"children"``, ``"downline"``,
        ``"matching"``) over their downline; ``limit`` 0 means 50."""
        request = arbor_pb2.LeaderboardRequest(
            order_by=_metric(metric),
            measure=measure or "",
            ascending=ascending,
            filter=_matches(filter),
            within=_id(within) if within is not None else "",
            events=_events(source, event_filter, from_date, to_date),
            downline_filter=_matches(downline_filter),
            breakdown_by=breakdown_by or "",
            attributes=list(attributes),
            limit=limit,
            offset=offset,
            freshness=_freshness(max_staleness, require_live, min_version),
        )
        response = self._call(self._hierarchy.Leaderboard, request, timeout)
        rows = [
            LeaderboardRow(
                rank=r.rank,
                id=r.id,
                label=r.label,
                attributes=dict(r.attributes),
                self_measures=tuple(getattr(r, "self")),
                tree_measures=tuple(r.tree),
                direct_children=r.direct_children,
                downline_size=r.downline_size,
                downline_matching=r.downline_matching,
                breakdown={c.key: c.count for c in r.breakdown},
            )
            for r in response.rows
        ]
        return Leaderboard(rows=rows, total_ranked=response.total_ranked, meta=_meta(response.meta))

    # Cycles

    def cycles(
        self,
        *,
        limit: int = 0,
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Cycles:
        """Every group of nodes that reach each other (``limit`` 0 = all)."""
        request = arbor_pb2.CyclesRequest(limit=limit, freshness=_freshness(max_staleness, require_live, min_version))
        response = self._call(self._hierarchy.Cycles, request, timeout)
        return Cycles(
            groups=[node_ids(c.members) for c in response.cycles], total=response.total, meta=_meta(response.meta)
        )

    # FindNodes

    def find_nodes_pages(
        self,
        *,
        label_prefix: Optional[str] = None,
        ids: Optional[Iterable[NodeRef]] = None,
        filter: Filter = None,
        attributes: Sequence[str] = (),
        limit: int = 0,
        page_token: str = "",
        max_staleness: Optional[float] = None,
        require_live: bool = False,
        min_version: int = 0,
        timeout: Optional[float] = None,
    ) -> Iterator[NodePage]:
        """FindNodes page by page (``limit`` nodes each, 0 = 20)."""
        request = arbor_pb2.FindNodesRequest(
            label_prefix=label_prefix or "",
            ids=[_id(i) for i in ids] if ids is not None else [],
            filter=_matches(filter),
            attributes=list(attributes),
            limit=limit,
            freshness=_freshness(max_staleness, require_live, min_version),
        )

        def page(response) -> NodePage:
            return NodePage(
                nodes=[Node(n.id, n.label, dict(n.attributes)) for n in response.nodes],
                next_page_token=response.next_page_token or None,
                meta=_meta(response.meta),
            )

        return self._pages(self._hierarchy.FindNodes, request, page_token, page, timeout)

    def find_nodes(self, *, all_pages: bool = False, **options) -> NodePage:
        """Nodes by label prefix (ASCII case-insensitive), ids (unknown ones left out) and/or attribute filter, by
        label then id; ``all_pages=True`` follows the page tokens. Takes the keywords of ``find_nodes_pages``."""
        pages = self.find_nodes_pages(**options)
        if not all_pages:
            return next(pages)
        collected = list(pages)
        return NodePage(
            nodes=[n for p in collected for n in p.nodes], next_page_token=None, meta=collected[-1].meta
        )

    # Health

    def health(self, service: str = "", *, timeout: Optional[float] = None) -> str:
        """``"SERVING"`` once the server answers from its snapshot, else ``"NOT_SERVING"``."""
        response = self._call(self._health.Check, health_pb2.HealthCheckRequest(service=service), timeout)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    # Paging

    def _pages(self, method, request, page_token: str, read: Callable, timeout) -> Iterator:
        token = page_token
        while True:
            request.page_token = token
            response = self._call(method, request, timeout)
            yield read(response)
            if not response.next_page_token:
                return
            if response.next_page_token == token:
                raise ArborError(grpc.StatusCode.INTERNAL, "a page's next_page_token repeats the one that asked")
            token = response.next_page_token


def _merge_stats(pages: List[StatsPage]) -> StatsPage:
    last = pages[-1]
    return StatsPage(
        rows=[row for p in pages for row in p.rows],
        totals=last.totals,
        nodes_in_scope=last.nodes_in_scope,
        next_page_token=None,
        meta=last.meta,
    )
