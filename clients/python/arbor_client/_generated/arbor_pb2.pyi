from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Source(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOURCE_UNSPECIFIED: _ClassVar[Source]
    CACHE: _ClassVar[Source]
    LIVE: _ClassVar[Source]

class Metric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METRIC_UNSPECIFIED: _ClassVar[Metric]
    SELF: _ClassVar[Metric]
    TREE: _ClassVar[Metric]
    DIRECT_CHILDREN: _ClassVar[Metric]
    DOWNLINE_SIZE: _ClassVar[Metric]
    DOWNLINE_MATCHING: _ClassVar[Metric]
SOURCE_UNSPECIFIED: Source
CACHE: Source
LIVE: Source
METRIC_UNSPECIFIED: Metric
SELF: Metric
TREE: Metric
DIRECT_CHILDREN: Metric
DOWNLINE_SIZE: Metric
DOWNLINE_MATCHING: Metric

class Freshness(_message.Message):
    __slots__ = ("max_staleness_ms", "require_live", "min_version")
    MAX_STALENESS_MS_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_LIVE_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    max_staleness_ms: int
    require_live: bool
    min_version: int
    def __init__(self, max_staleness_ms: _Optional[int] = ..., require_live: _Optional[bool] = ..., min_version: _Optional[int] = ...) -> None: ...

class ResponseMeta(_message.Message):
    __slots__ = ("source", "as_of_unix_ms", "version", "stale")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STALE_FIELD_NUMBER: _ClassVar[int]
    source: Source
    as_of_unix_ms: int
    version: int
    stale: bool
    def __init__(self, source: _Optional[_Union[Source, str]] = ..., as_of_unix_ms: _Optional[int] = ..., version: _Optional[int] = ..., stale: _Optional[bool] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ("name", "values", "negate")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    NEGATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    negate: bool
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ..., negate: _Optional[bool] = ...) -> None: ...

class EventScope(_message.Message):
    __slots__ = ("source", "match", "from_date", "to_date")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    MATCH_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    source: str
    match: _containers.RepeatedCompositeFieldContainer[Match]
    from_date: str
    to_date: str
    def __init__(self, source: _Optional[str] = ..., match: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ...) -> None: ...

class NodeIds(_message.Message):
    __slots__ = ("uuids", "ints", "texts")
    UUIDS_FIELD_NUMBER: _ClassVar[int]
    INTS_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    uuids: bytes
    ints: _containers.RepeatedScalarFieldContainer[int]
    texts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uuids: _Optional[bytes] = ..., ints: _Optional[_Iterable[int]] = ..., texts: _Optional[_Iterable[str]] = ...) -> None: ...

class Column(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class TraversalRequest(_message.Message):
    __slots__ = ("root", "max_depth", "filter", "include_root", "limit", "attributes", "include_parents", "freshness")
    ROOT_FIELD_NUMBER: _ClassVar[int]
    MAX_DEPTH_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ROOT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_PARENTS_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    root: str
    max_depth: int
    filter: _containers.RepeatedCompositeFieldContainer[Match]
    include_root: bool
    limit: int
    attributes: _containers.RepeatedScalarFieldContainer[str]
    include_parents: bool
    freshness: Freshness
    def __init__(self, root: _Optional[str] = ..., max_depth: _Optional[int] = ..., filter: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., include_root: _Optional[bool] = ..., limit: _Optional[int] = ..., attributes: _Optional[_Iterable[str]] = ..., include_parents: _Optional[bool] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class NodesChunk(_message.Message):
    __slots__ = ("ids", "depths", "parents", "attributes", "total", "meta")
    IDS_FIELD_NUMBER: _ClassVar[int]
    DEPTHS_FIELD_NUMBER: _ClassVar[int]
    PARENTS_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    ids: NodeIds
    depths: _containers.RepeatedScalarFieldContainer[int]
    parents: NodeIds
    attributes: _containers.RepeatedCompositeFieldContainer[Column]
    total: int
    meta: ResponseMeta
    def __init__(self, ids: _Optional[_Union[NodeIds, _Mapping]] = ..., depths: _Optional[_Iterable[int]] = ..., parents: _Optional[_Union[NodeIds, _Mapping]] = ..., attributes: _Optional[_Iterable[_Union[Column, _Mapping]]] = ..., total: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...

class FilteredStatsRequest(_message.Message):
    __slots__ = ("root", "exclude_root", "max_depth", "filter", "events", "group_by", "measures", "freshness", "limit", "page_token")
    ROOT_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_ROOT_FIELD_NUMBER: _ClassVar[int]
    MAX_DEPTH_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    root: str
    exclude_root: bool
    max_depth: int
    filter: _containers.RepeatedCompositeFieldContainer[Match]
    events: EventScope
    group_by: _containers.RepeatedScalarFieldContainer[str]
    measures: _containers.RepeatedScalarFieldContainer[str]
    freshness: Freshness
    limit: int
    page_token: str
    def __init__(self, root: _Optional[str] = ..., exclude_root: _Optional[bool] = ..., max_depth: _Optional[int] = ..., filter: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., events: _Optional[_Union[EventScope, _Mapping]] = ..., group_by: _Optional[_Iterable[str]] = ..., measures: _Optional[_Iterable[str]] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class StatsRow(_message.Message):
    __slots__ = ("keys", "values", "nodes")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedScalarFieldContainer[str]
    values: _containers.RepeatedScalarFieldContainer[int]
    nodes: int
    def __init__(self, keys: _Optional[_Iterable[str]] = ..., values: _Optional[_Iterable[int]] = ..., nodes: _Optional[int] = ...) -> None: ...

class FilteredStatsResponse(_message.Message):
    __slots__ = ("rows", "totals", "nodes_in_scope", "meta", "next_page_token")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    NODES_IN_SCOPE_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[StatsRow]
    totals: _containers.RepeatedScalarFieldContainer[int]
    nodes_in_scope: int
    meta: ResponseMeta
    next_page_token: str
    def __init__(self, rows: _Optional[_Iterable[_Union[StatsRow, _Mapping]]] = ..., totals: _Optional[_Iterable[int]] = ..., nodes_in_scope: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class LeaderboardRequest(_message.Message):
    __slots__ = ("order_by", "measure", "ascending", "filter", "within", "events", "downline_filter", "breakdown_by", "attributes", "limit", "offset", "freshness")
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    MEASURE_FIELD_NUMBER: _ClassVar[int]
    ASCENDING_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    WITHIN_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    DOWNLINE_FILTER_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_BY_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    order_by: Metric
    measure: str
    ascending: bool
    filter: _containers.RepeatedCompositeFieldContainer[Match]
    within: str
    events: EventScope
    downline_filter: _containers.RepeatedCompositeFieldContainer[Match]
    breakdown_by: str
    attributes: _containers.RepeatedScalarFieldContainer[str]
    limit: int
    offset: int
    freshness: Freshness
    def __init__(self, order_by: _Optional[_Union[Metric, str]] = ..., measure: _Optional[str] = ..., ascending: _Optional[bool] = ..., filter: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., within: _Optional[str] = ..., events: _Optional[_Union[EventScope, _Mapping]] = ..., downline_filter: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., breakdown_by: _Optional[str] = ..., attributes: _Optional[_Iterable[str]] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class KeyCount(_message.Message):
    __slots__ = ("key", "count")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    key: str
    count: int
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class LeaderboardRow(_message.Message):
    __slots__ = ("rank", "id", "label", "attributes", "self", "tree", "direct_children", "downline_size", "downline_matching", "breakdown")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    RANK_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    SELF_FIELD_NUMBER: _ClassVar[int]
    TREE_FIELD_NUMBER: _ClassVar[int]
    DIRECT_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    DOWNLINE_SIZE_FIELD_NUMBER: _ClassVar[int]
    DOWNLINE_MATCHING_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_FIELD_NUMBER: _ClassVar[int]
    rank: int
    id: str
    label: str
    attributes: _containers.ScalarMap[str, str]
    self: _containers.RepeatedScalarFieldContainer[int]
    tree: _containers.RepeatedScalarFieldContainer[int]
    direct_children: int
    downline_size: int
    downline_matching: int
    breakdown: _containers.RepeatedCompositeFieldContainer[KeyCount]
    def __init__(self_, rank: _Optional[int] = ..., id: _Optional[str] = ..., label: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., self: _Optional[_Iterable[int]] = ..., tree: _Optional[_Iterable[int]] = ..., direct_children: _Optional[int] = ..., downline_size: _Optional[int] = ..., downline_matching: _Optional[int] = ..., breakdown: _Optional[_Iterable[_Union[KeyCount, _Mapping]]] = ...) -> None: ...

class LeaderboardResponse(_message.Message):
    __slots__ = ("rows", "total_ranked", "meta")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_RANKED_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[LeaderboardRow]
    total_ranked: int
    meta: ResponseMeta
    def __init__(self, rows: _Optional[_Iterable[_Union[LeaderboardRow, _Mapping]]] = ..., total_ranked: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...

class CyclesRequest(_message.Message):
    __slots__ = ("limit", "freshness")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    limit: int
    freshness: Freshness
    def __init__(self, limit: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class Cycle(_message.Message):
    __slots__ = ("members",)
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    members: NodeIds
    def __init__(self, members: _Optional[_Union[NodeIds, _Mapping]] = ...) -> None: ...

class CyclesResponse(_message.Message):
    __slots__ = ("cycles", "total", "meta")
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    cycles: _containers.RepeatedCompositeFieldContainer[Cycle]
    total: int
    meta: ResponseMeta
    def __init__(self, cycles: _Optional[_Iterable[_Union[Cycle, _Mapping]]] = ..., total: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...

class FindNodesRequest(_message.Message):
    __slots__ = ("label_prefix", "ids", "filter", "attributes", "limit", "freshness", "page_token")
    LABEL_PREFIX_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    label_prefix: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    filter: _containers.RepeatedCompositeFieldContainer[Match]
    attributes: _containers.RepeatedScalarFieldContainer[str]
    limit: int
    freshness: Freshness
    page_token: str
    def __init__(self, label_prefix: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., filter: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., attributes: _Optional[_Iterable[str]] = ..., limit: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ..., page_token: _Optional[str] = ...) -> None: ...

class Node(_message.Message):
    __slots__ = ("id", "label", "attributes")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    attributes: _containers.ScalarMap[str, str]
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...

class FindNodesResponse(_message.Message):
    __slots__ = ("nodes", "meta", "next_page_token")
    NODES_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[Node]
    meta: ResponseMeta
    next_page_token: str
    def __init__(self, nodes: _Optional[_Iterable[_Union[Node, _Mapping]]] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DescribeRequest(_message.Message):
    __slots__ = ("freshness",)
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    freshness: Freshness
    def __init__(self, freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class AttributeInfo(_message.Message):
    __slots__ = ("name", "type", "closed", "distinct_values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    DISTINCT_VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    closed: bool
    distinct_values: int
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., closed: _Optional[bool] = ..., distinct_values: _Optional[int] = ...) -> None: ...

class MeasureInfo(_message.Message):
    __slots__ = ("name", "scale")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    name: str
    scale: int
    def __init__(self, name: _Optional[str] = ..., scale: _Optional[int] = ...) -> None: ...

class EventSourceInfo(_message.Message):
    __slots__ = ("name", "dimensions", "measures", "first_day", "last_day", "events")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DIMENSIONS_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    FIRST_DAY_FIELD_NUMBER: _ClassVar[int]
    LAST_DAY_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    dimensions: _containers.RepeatedScalarFieldContainer[str]
    measures: _containers.RepeatedCompositeFieldContainer[MeasureInfo]
    first_day: str
    last_day: str
    events: int
    def __init__(self, name: _Optional[str] = ..., dimensions: _Optional[_Iterable[str]] = ..., measures: _Optional[_Iterable[_Union[MeasureInfo, _Mapping]]] = ..., first_day: _Optional[str] = ..., last_day: _Optional[str] = ..., events: _Optional[int] = ...) -> None: ...

class DescribeResponse(_message.Message):
    __slots__ = ("id_type", "time_zone", "has_label", "attributes", "sources", "nodes", "edges", "cycle_groups", "meta")
    ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    HAS_LABEL_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    EDGES_FIELD_NUMBER: _ClassVar[int]
    CYCLE_GROUPS_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    id_type: str
    time_zone: str
    has_label: bool
    attributes: _containers.RepeatedCompositeFieldContainer[AttributeInfo]
    sources: _containers.RepeatedCompositeFieldContainer[EventSourceInfo]
    nodes: int
    edges: int
    cycle_groups: int
    meta: ResponseMeta
    def __init__(self, id_type: _Optional[str] = ..., time_zone: _Optional[str] = ..., has_label: _Optional[bool] = ..., attributes: _Optional[_Iterable[_Union[AttributeInfo, _Mapping]]] = ..., sources: _Optional[_Iterable[_Union[EventSourceInfo, _Mapping]]] = ..., nodes: _Optional[int] = ..., edges: _Optional[int] = ..., cycle_groups: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...
