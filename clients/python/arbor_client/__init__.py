"""Arbor's Python client: a typed wrapper over the generated gRPC stubs of ``arbor.v2.Hierarchy``.

>>> from arbor_client import ArborClient
>>> with ArborClient("127.0.0.1:50051") as arbor:
...     model = arbor.describe()
...     raj = arbor.find_nodes(label_prefix="Raj").nodes[0]
...     print(arbor.filtered_stats(raj.id, group_by=["day"]).totals)
"""

from .client import ArborClient, Metric, NodeStream, node_ids
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
    scaled,
)

__all__ = [
    "ArborClient",
    "ArborError",
    "AttributeInfo",
    "Cycles",
    "EventSourceInfo",
    "Leaderboard",
    "LeaderboardRow",
    "Match",
    "MeasureInfo",
    "Metric",
    "ModelDescription",
    "Node",
    "NodePage",
    "NodeStream",
    "ResponseMeta",
    "StatsPage",
    "StatsRow",
    "TraversedNode",
    "node_ids",
    "scaled",
]
