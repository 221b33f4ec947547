"""The legitimate clients of an attack test: Health/Check and Descendants in closed loops, in a process of their own.

Run by `arbor_attack.LegitLoad` as a child process, so the attacker's Python threads (which hold the GIL in tight
loops) cannot inflate the latencies measured here: what is measured is the server. The same process and the same two
connections measure the baseline and then the attack.

Protocol on stdin/stdout, one line each:
    begin NAME   start collecting samples into window NAME (the loops run all the time; outside a window their
                 samples are dropped)
    end          close the window; prints one JSON line with its statistics
    quit         exit
The process prints "ready" once both connections have answered.
"""

import argparse
import json
import math
import sys
import threading
import time


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (p in 0...100)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class Window:
    def __init__(self, name):
        self.name = name
        self.started = time.monotonic()
        self.samples = {"health": [], "descendants": []}
        self.errors = {"health": {}, "descendants": {}}
        self.unfinished = {"health": 0, "descendants": 0}
        self.sources = {}
        self.max_age_ms = 0

    def summary(self):
        out = {"window": self.name, "seconds": round(time.monotonic() - self.started, 3)}
        for kind, values in self.samples.items():
            values = sorted(values)
            out[kind] = {
                "count": len(values),
                "errors": self.errors[kind],
                "p50_ms": percentile(values, 50),
                "p99_ms": percentile(values, 99),
                "max_ms": values[-1] if values else None,
                "unfinished": self.unfinished[kind],
            }
        out["descendants_sources"] = self.sources
        out["max_snapshot_age_ms"] = self.max_age_ms
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--root", required=True, help="Descendants root, a node id (a UUID for the demo)")
    parser.add_argument("--interval", type=float, default=0.005, help="pause between two calls of one loop, s")
    parser.add_argument("--timeout", type=float, default=5.0, help="deadline of each call, s")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc
    import arbor_pb2
    import arbor_pb2_grpc
    import health_pb2
    import health_pb2_grpc

    # One connection per method, so a slow Descendants never queues a Health check behind it in our own client.
    options = [("grpc.enable_retries", 0), ("grpc.use_local_subchannel_pool", 1)]
    health = health_pb2_grpc.HealthStub(grpc.insecure_channel(args.target, options=options))
    hierarchy = arbor_pb2_grpc.HierarchyStub(grpc.insecure_channel(args.target, options=options))
    root = args.root

    lock = threading.Lock()
    state = {"window": None, "stop": False}
    # The call each loop has in flight: (start, window it started in). A call still running when its window closes
    # counts in that window at the time it has taken so far, so a stall shows in the p99 rather than vanishing.
    in_flight = {}

    def check():
        health.Check(health_pb2.HealthCheckRequest(), timeout=args.timeout)
        return None

    def descendants():
        chunks = list(hierarchy.Descendants(arbor_pb2.TraversalRequest(root=root), timeout=args.timeout))
        return chunks[-1].meta if chunks else None

    def loop(kind, call):
        while not state["stop"]:
            started = time.perf_counter()
            with lock:
                started_in = state["window"]
                in_flight[kind] = (started, started_in)
            error = None
            meta = None
            try:
                meta = call()
            except grpc.RpcError as e:
                error = e.code().name if e.code() else "UNKNOWN"
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                in_flight[kind] = None
                window = state["window"]
                if window is not None and window is started_in:
                    if error is None:
                        window.samples[kind].append(elapsed_ms)
                    else:
                        window.errors[kind][error] = window.errors[kind].get(error, 0) + 1
                    if meta is not None:
                        source = arbor_pb2.Source.Name(meta.source)
                        window.sources[source] = window.sources.get(source, 0) + 1
                        if meta.as_of_unix_ms:
                            age = int(time.time() * 1000) - meta.as_of_unix_ms
                            window.max_age_ms = max(window.max_age_ms, age)
            time.sleep(args.interval)

    # Warm both connections before saying ready, so connection set-up never lands in a window.
    deadline = time.monotonic() + 30
    while True:
        try:
            check()
            descendants()
            break
        except grpc.RpcError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)

    threads = [
        threading.Thread(target=loop, args=("health", check), daemon=True),
        threading.Thread(target=loop, args=("descendants", descendants), daemon=True),
    ]
    for thread in threads:
        thread.start()
    print("ready", flush=True)

    for line in sys.stdin:
        command = line.strip().split(" ", 1)
        if command[0] == "begin":
            with lock:
                state["window"] = Window(command[1] if len(command) > 1 else "window")
        elif command[0] == "end":
            with lock:
                window, state["window"] = state["window"], None
                now = time.perf_counter()
                for kind, flight in in_flight.items():
                    if window is not None and flight is not None and flight[1] is window:
                        window.samples[kind].append((now - flight[0]) * 1000)
                        window.unfinished[kind] += 1
            print(json.dumps(window.summary() if window else {}), flush=True)
        elif command[0] == "quit":
            break
    state["stop"] = True


if __name__ == "__main__":
    main()
