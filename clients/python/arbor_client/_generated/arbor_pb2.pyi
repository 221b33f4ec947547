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

class Dimension(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIMENSION_UNSPECIFIED: _ClassVar[Dimension]
    DAY: _ClassVar[Dimension]
    ROLE: _ClassVar[Dimension]
    USER: _ClassVar[Dimension]
    STATE: _ClassVar[Dimension]
    DISTRICT: _ClassVar[Dimension]
    BLOCK: _ClassVar[Dimension]
    VILLAGE: _ClassVar[Dimension]
    REGISTRATION_TYPE: _ClassVar[Dimension]
    CHANNEL: _ClassVar[Dimension]

class Metric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METRIC_UNSPECIFIED: _ClassVar[Metric]
    SELF_REGISTRATIONS: _ClassVar[Metric]
    TREE_REGISTRATIONS: _ClassVar[Metric]
    DIRECT_CHILDREN: _ClassVar[Metric]
    DOWNLINE_SIZE: _ClassVar[Metric]
    DOWNLINE_ROLE: _ClassVar[Metric]
SOURCE_UNSPECIFIED: Source
CACHE: Source
LIVE: Source
DIMENSION_UNSPECIFIED: Dimension
DAY: Dimension
ROLE: Dimension
USER: Dimension
STATE: Dimension
DISTRICT: Dimension
BLOCK: Dimension
VILLAGE: Dimension
REGISTRATION_TYPE: Dimension
CHANNEL: Dimension
METRIC_UNSPECIFIED: Metric
SELF_REGISTRATIONS: Metric
TREE_REGISTRATIONS: Metric
DIRECT_CHILDREN: Metric
DOWNLINE_SIZE: Metric
DOWNLINE_ROLE: Metric

class Freshness(_message.Message):
    __slots__ = ("max_staleness_ms", "require_live", "min_version")
    MAX_STALENESS_MS_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_LIVE_FIELD_NUMBER: _ClassVar[int]
    MIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    max_staleness_ms: int
    require_live: bool
    min_version: int
    def __init__(self, max_staleness_ms: _Optional[int] = ..., require_live: _Optional[bool] = ..., min_version: _Optional[int] = ...) -> None: ...

class UserFilter(_message.Message):
    __slots__ = ("roles", "states", "districts", "blocks", "villages", "active", "app_installed")
    ROLES_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    DISTRICTS_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    APP_INSTALLED_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedScalarFieldContainer[str]
    states: _containers.RepeatedScalarFieldContainer[str]
    districts: _containers.RepeatedScalarFieldContainer[str]
    blocks: _containers.RepeatedScalarFieldContainer[str]
    villages: _containers.RepeatedScalarFieldContainer[str]
    active: bool
    app_installed: bool
    def __init__(self, roles: _Optional[_Iterable[str]] = ..., states: _Optional[_Iterable[str]] = ..., districts: _Optional[_Iterable[str]] = ..., blocks: _Optional[_Iterable[str]] = ..., villages: _Optional[_Iterable[str]] = ..., active: _Optional[bool] = ..., app_installed: _Optional[bool] = ...) -> None: ...

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

class DescendantsRequest(_message.Message):
    __slots__ = ("root", "max_depth", "filter", "include_root", "limit", "freshness")
    ROOT_FIELD_NUMBER: _ClassVar[int]
    MAX_DEPTH_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ROOT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    root: bytes
    max_depth: int
    filter: UserFilter
    include_root: bool
    limit: int
    freshness: Freshness
    def __init__(self, root: _Optional[bytes] = ..., max_depth: _Optional[int] = ..., filter: _Optional[_Union[UserFilter, _Mapping]] = ..., include_root: _Optional[bool] = ..., limit: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class DescendantsChunk(_message.Message):
    __slots__ = ("ids", "depths", "meta", "total")
    IDS_FIELD_NUMBER: _ClassVar[int]
    DEPTHS_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ids: bytes
    depths: _containers.RepeatedScalarFieldContainer[int]
    meta: ResponseMeta
    total: int
    def __init__(self, ids: _Optional[bytes] = ..., depths: _Optional[_Iterable[int]] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ..., total: _Optional[int] = ...) -> None: ...

class FilteredStatsRequest(_message.Message):
    __slots__ = ("root", "exclude_root", "max_depth", "user_filter", "registration_types", "channels", "from_date", "to_date", "group_by", "freshness")
    ROOT_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_ROOT_FIELD_NUMBER: _ClassVar[int]
    MAX_DEPTH_FIELD_NUMBER: _ClassVar[int]
    USER_FILTER_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_TYPES_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    root: bytes
    exclude_root: bool
    max_depth: int
    user_filter: UserFilter
    registration_types: _containers.RepeatedScalarFieldContainer[str]
    channels: _containers.RepeatedScalarFieldContainer[str]
    from_date: str
    to_date: str
    group_by: _containers.RepeatedScalarFieldContainer[Dimension]
    freshness: Freshness
    def __init__(self, root: _Optional[bytes] = ..., exclude_root: _Optional[bool] = ..., max_depth: _Optional[int] = ..., user_filter: _Optional[_Union[UserFilter, _Mapping]] = ..., registration_types: _Optional[_Iterable[str]] = ..., channels: _Optional[_Iterable[str]] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., group_by: _Optional[_Iterable[_Union[Dimension, str]]] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class StatsRow(_message.Message):
    __slots__ = ("keys", "registrations", "registering_users")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    REGISTERING_USERS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedScalarFieldContainer[str]
    registrations: int
    registering_users: int
    def __init__(self, keys: _Optional[_Iterable[str]] = ..., registrations: _Optional[int] = ..., registering_users: _Optional[int] = ...) -> None: ...

class FilteredStatsResponse(_message.Message):
    __slots__ = ("rows", "total_registrations", "users_in_scope", "meta")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    USERS_IN_SCOPE_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[StatsRow]
    total_registrations: int
    users_in_scope: int
    meta: ResponseMeta
    def __init__(self, rows: _Optional[_Iterable[_Union[StatsRow, _Mapping]]] = ..., total_registrations: _Optional[int] = ..., users_in_scope: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...

class LeaderboardRequest(_message.Message):
    __slots__ = ("order_by", "order_role", "ascending", "filter", "within", "registration_types", "channels", "from_date", "to_date", "limit", "offset", "freshness")
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_ROLE_FIELD_NUMBER: _ClassVar[int]
    ASCENDING_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    WITHIN_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_TYPES_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    order_by: Metric
    order_role: str
    ascending: bool
    filter: UserFilter
    within: bytes
    registration_types: _containers.RepeatedScalarFieldContainer[str]
    channels: _containers.RepeatedScalarFieldContainer[str]
    from_date: str
    to_date: str
    limit: int
    offset: int
    freshness: Freshness
    def __init__(self, order_by: _Optional[_Union[Metric, str]] = ..., order_role: _Optional[str] = ..., ascending: _Optional[bool] = ..., filter: _Optional[_Union[UserFilter, _Mapping]] = ..., within: _Optional[bytes] = ..., registration_types: _Optional[_Iterable[str]] = ..., channels: _Optional[_Iterable[str]] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class RoleCount(_message.Message):
    __slots__ = ("role", "count")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    role: str
    count: int
    def __init__(self, role: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class LeaderboardRow(_message.Message):
    __slots__ = ("rank", "user_id", "name", "role", "self_registrations", "tree_registrations", "direct_children", "downline_size", "downline_by_role")
    RANK_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SELF_REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    TREE_REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    DIRECT_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    DOWNLINE_SIZE_FIELD_NUMBER: _ClassVar[int]
    DOWNLINE_BY_ROLE_FIELD_NUMBER: _ClassVar[int]
    rank: int
    user_id: bytes
    name: str
    role: str
    self_registrations: int
    tree_registrations: int
    direct_children: int
    downline_size: int
    downline_by_role: _containers.RepeatedCompositeFieldContainer[RoleCount]
    def __init__(self, rank: _Optional[int] = ..., user_id: _Optional[bytes] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., self_registrations: _Optional[int] = ..., tree_registrations: _Optional[int] = ..., direct_children: _Optional[int] = ..., downline_size: _Optional[int] = ..., downline_by_role: _Optional[_Iterable[_Union[RoleCount, _Mapping]]] = ...) -> None: ...

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
    members: bytes
    def __init__(self, members: _Optional[bytes] = ...) -> None: ...

class CyclesResponse(_message.Message):
    __slots__ = ("cycles", "total", "meta")
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    cycles: _containers.RepeatedCompositeFieldContainer[Cycle]
    total: int
    meta: ResponseMeta
    def __init__(self, cycles: _Optional[_Iterable[_Union[Cycle, _Mapping]]] = ..., total: _Optional[int] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...

class FindUsersRequest(_message.Message):
    __slots__ = ("name_prefix", "ids", "limit", "freshness")
    NAME_PREFIX_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    name_prefix: str
    ids: bytes
    limit: int
    freshness: Freshness
    def __init__(self, name_prefix: _Optional[str] = ..., ids: _Optional[bytes] = ..., limit: _Optional[int] = ..., freshness: _Optional[_Union[Freshness, _Mapping]] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("id", "name", "role", "state", "district", "block", "village", "active", "app_installed")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    BLOCK_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    APP_INSTALLED_FIELD_NUMBER: _ClassVar[int]
    id: bytes
    name: str
    role: str
    state: str
    district: str
    block: str
    village: str
    active: bool
    app_installed: bool
    def __init__(self, id: _Optional[bytes] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., state: _Optional[str] = ..., district: _Optional[str] = ..., block: _Optional[str] = ..., village: _Optional[str] = ..., active: _Optional[bool] = ..., app_installed: _Optional[bool] = ...) -> None: ...

class FindUsersResponse(_message.Message):
    __slots__ = ("users", "meta")
    USERS_FIELD_NUMBER: _ClassVar[int]
    META_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[User]
    meta: ResponseMeta
    def __init__(self, users: _Optional[_Iterable[_Union[User, _Mapping]]] = ..., meta: _Optional[_Union[ResponseMeta, _Mapping]] = ...) -> None: ...
