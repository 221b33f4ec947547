"""Client-side latency of the war-story demo's dashboard calls, from a plain grpcio client.

The server-side times come from model-probe; this shows what a caller sees over a real socket (HTTP/2 framing,
protobuf decoding in Python, one channel, calls one after another). Run against `arbor-server serve` (release build)
on the full demo, with the venv that scripts/setup makes:

    .build-py/venv/bin/python Benchmarks/client_latency.py 127.0.0.1:50051 [--runs 200]
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python"))
from arbor_client._generated import arbor_pb2 as pb  # noqa: E402
from arbor_client._generated import arbor_pb2_grpc as rpc  # noqa: E402


def timed(runs, call):
    """Median and 99th percentile in milliseconds of `runs` calls, after 10 warm-up calls."""
    for _ in range(10):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", help="host:port of arbor-server")
    parser.add_argument("--runs", type=int, default=200, help="calls per measurement (default 200)")
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", 64 << 20)])
    stub = rpc.HierarchyStub(channel)
    raj = next(n for n in stub.FindNodes(pb.FindNodesRequest(label_prefix="Raj", limit=100)).nodes if n.label == "Raj")
    top = stub.Leaderboard(pb.LeaderboardRequest(order_by=pb.DOWNLINE_SIZE, limit=1)).rows[0]
    last_day = max(
        (row.keys[0] for row in stub.FilteredStats(pb.FilteredStatsRequest(root=top.id, group_by=["day"])).rows),
        default=None,
    )
    if last_day is None:
        sys.exit("the demo has no registrations")
    to = datetime.date.fromisoformat(last_day)
    window45 = pb.EventScope(from_date=(to - datetime.timedelta(days=44)).isoformat(), to_date=to.isoformat())
    window30 = pb.EventScope(from_date=(to - datetime.timedelta(days=29)).isoformat(), to_date=to.isoformat())

    calls = [
        ("Descendants(Raj), all chunks", lambda: list(stub.Descendants(pb.TraversalRequest(root=raj.id)))),
        (
            "FilteredStats(Raj, 45 days, by day, no filter)",
            lambda: stub.FilteredStats(pb.FilteredStatsRequest(root=raj.id, events=window45, group_by=["day"])),
        ),
        (
            f"FilteredStats(top, {top.downline_size} descendants, 45 days, by day, no filter)",
            lambda: stub.FilteredStats(pb.FilteredStatsRequest(root=top.id, events=window45, group_by=["day"])),
        ),
        (
            "Leaderboard(all users, TREE count, 30 days), first 100",
            lambda: stub.Leaderboard(pb.LeaderboardRequest(order_by=pb.TREE, events=window30, limit=100)),
        ),
    ]
    print(f"client-side, grpcio {grpc.__version__}, {args.runs} calls each, one channel, sequential")
    print("| call | median | p99 |")
    print("|---|---:|---:|")
    for name, call in calls:
        median, p99 = timed(args.runs, call)
        print(f"| {name} | {median:.3f} ms | {p99:.3f} ms |")


if __name__ == "__main__":
    main()
