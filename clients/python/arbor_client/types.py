"""Friendly request and result types: ids as canonical text, dates as datetime.date, times as datetime.datetime."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
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
class Match:
    """Holds when attribute (or, in an event filter, dimension) ``name`` has one of ``values``; with ``negate``,
    when it has a value and it is none of them. NULL never matches; ``""`` matches empty strings only."""

    name: str
    values: Sequence[str]
    negate: bool = False

    @classmethod
    def is_in(cls, name: str, *values: str) -> "Match":
        return cls(name, tuple(values))

    @classmethod
    def not_in(cls, name: str, *values: str) -> "Match":
        return cls(name, tuple(values), negate=True)


@dataclass(frozen=True)
class AttributeInfo:
    name: str
    type: str  # text | integer | boolean
    closed: bool
    distinct_values: int


@dataclass(frozen=True)
class MeasureInfo:
    """A measure of an event source; its values are the sum x 10**scale (``scaled(value, scale)`` reads them)."""

    name: str
    scale: int


@dataclass(frozen=True)
class EventSourceInfo:
    name: str
    dimensions: List[str]
    measures: List[MeasureInfo]  # count first
    first_day: Optional[_dt.date]  # None when the source has no events
    last_day: Optional[_dt.date]
    events: int

    def measure(self, name: str) -> Optional[MeasureInfo]:
        return next((m for m in self.measures if m.name == name), None)


@dataclass(frozen=True)
class ModelDescription:
    """What Describe says about the served model."""

    id_type: str  # uuid | integer | text
    time_zone: str
    has_label: bool
    attributes: List[AttributeInfo]
    sources: List[EventSourceInfo]
    nodes: int
    edges: int
    cycle_groups: int
    meta: ResponseMeta

    def source(self, name: Optional[str] = None) -> Optional[EventSourceInfo]:
        """The source named ``name``, or the first (the default of every event scope) for None."""
        if not name:
            return self.sources[0] if self.sources else None
        return next((s for s in self.sources if s.name == name), None)


@dataclass(frozen=True)
class TraversedNode:
    """One node of a Descendants or Ancestors answer. ``parent`` is set with ``include_parents``; ``attributes`` holds
    the asked-for attributes (and ``label``), ``""`` for NULL."""

    id: str
    depth: int
    parent: Optional[str] = None
    attributes: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatsRow:
    """One key tuple: ``keys`` has one value per ``group_by`` name, ``values`` one per measure."""

    keys: Tuple[str, ...]
    values: Tuple[int, ...]
    nodes: int


@dataclass(frozen=True)
class StatsPage:
    """A page of FilteredStats (all pages with ``all_pages=True``); ``totals`` cover every page."""

    rows: List[StatsRow]
    totals: Tuple[int, ...]
    nodes_in_scope: int
    next_page_token: Optional[str]
    meta: ResponseMeta


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    id: str
    label: str
    attributes: Dict[str, str]
    self_measures: Tuple[int, ...]  # every measure of the source, model order
    tree_measures: Tuple[int, ...]
    direct_children: int
    downline_size: int
    downline_matching: int
    breakdown: Dict[str, int]  # in key order


@dataclass(frozen=True)
class Leaderboard:
    rows: List[LeaderboardRow]
    total_ranked: int
    meta: ResponseMeta


@dataclass(frozen=True)
class Cycles:
    """Groups of nodes that reach each other, largest first; members ascending."""

    groups: List[List[str]]
    total: int
    meta: ResponseMeta


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    attributes: Dict[str, str]


@dataclass(frozen=True)
class NodePage:
    """A page of FindNodes (all pages with ``all_pages=True``), by label then id."""

    nodes: List[Node]
    next_page_token: Optional[str]
    meta: ResponseMeta


def scaled(value: int, scale: int) -> _decimal.Decimal:
    """A measure's value as the decimal it stands for: ``scaled(12345, 2) == Decimal("123.45")``."""
    return _decimal.Decimal(value).scaleb(-scale)
