"""Arbor's Python client: a typed wrapper over the generated gRPC stubs.

>>> from arbor_client import ArborClient
>>> with ArborClient("127.0.0.1:50051") as arbor:
...     raj = arbor.find_users(name_prefix="Raj").users[0]
...     print(arbor.filtered_stats(raj.id, group_by=["day"]).total_registrations)
"""

from .client import ArborClient, DescendantsStream, Dimension, Metric
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

__all__ = [
    "ArborClient",
    "ArborError",
    "Cycles",
    "DescendantEntry",
    "DescendantsStream",
    "Dimension",
    "FilteredStats",
    "FoundUsers",
    "Leaderboard",
    "LeaderboardRow",
    "Metric",
    "ResponseMeta",
    "StatsRow",
    "User",
    "UserFilter",
]
