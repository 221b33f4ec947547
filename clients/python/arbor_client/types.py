"""Friendly result and filter types: UUIDs as uuid.UUID, dates as datetime.date, times as datetime.datetime."""

from __future__ import annotations

import datetime as _dt
import uuid as _uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class ResponseMeta:
    """Where an answer came from (``"cache"`` or ``"live"``), how fresh it is, and its data version."""

    source: str
    as_of: _dt.datetime
    version: int
    stale: bool

    @property
    def as_of_unix_ms(self) -> int:
        return int(self.as_of.timestamp() * 1000)


@dataclass(frozen=True)
class UserFilter:
    """Selects which users are counted or returned; traversal passes through users it excludes."""

    roles: Sequence[str] = ()
    states: Sequence[str] = ()
    districts: Sequence[str] = ()
    blocks: Sequence[str] = ()
    villages: Sequence[str] = ()
    active: Optional[bool] = None
    app_installed: Optional[bool] = None


@dataclass(frozen=True)
class DescendantEntry:
    id: _uuid.UUID
    depth: int


@dataclass(frozen=True)
class StatsRow:
    """One group: ``keys`` has one value per ``group_by`` dimension (DAY as YYYY-MM-DD, USER as UUID text)."""

    keys: Tuple[str, ...]
    registrations: int
    registering_users: int


@dataclass(frozen=True)
class FilteredStats:
    rows: List[StatsRow]
    total_registrations: int
    users_in_scope: int
    meta: ResponseMeta


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    user_id: _uuid.UUID
    name: str
    role: str
    self_registrations: int
    tree_registrations: int
    direct_children: int
    downline_size: int
    downline_by_role: Dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Leaderboard:
    rows: List[LeaderboardRow]
    total_ranked: int
    meta: ResponseMeta


@dataclass(frozen=True)
class Cycles:
    """Groups of users that reach each other, largest first; members ascending."""

    cycles: List[List[_uuid.UUID]]
    total: int
    meta: ResponseMeta


@dataclass(frozen=True)
class User:
    id: _uuid.UUID
    name: str
    role: str
    state: str
    district: str
    block: str
    village: str
    active: bool
    app_installed: bool


@dataclass(frozen=True)
class FoundUsers:
    users: List[User]
    meta: ResponseMeta
