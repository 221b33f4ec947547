"""grpcio client for the interop tests: calls a server (ours) and prints what it saw as one JSON object."""
import argparse
import json
import sys

import grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--stubs", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    import arbor_test_pb2 as t
    import arbor_test_pb2_grpc as tg
    import health_pb2 as h
    import health_pb2_grpc as hg

    out = {}
    with grpc.insecure_channel(args.target) as channel:
        health = hg.HealthStub(channel)
        test = tg.TestServiceStub(channel)

        out["health"] = h.HealthCheckResponse.ServingStatus.Name(health.Check(h.HealthCheckRequest(), timeout=5).status)
        out["health_hierarchy"] = h.HealthCheckResponse.ServingStatus.Name(
            health.Check(h.HealthCheckRequest(service="arbor.v2.Hierarchy"), timeout=5).status)
        try:
            health.Check(h.HealthCheckRequest(service="no.such.Service"), timeout=5)
            out["health_unknown"] = "OK"
        except grpc.RpcError as e:
            out["health_unknown"] = e.code().name

        out["echo"] = test.Echo(t.EchoRequest(text="héllo wörld ✓"), timeout=5).text

        try:
            test.Echo(t.EchoRequest(fail_code=5, fail_message="nicht gefunden: Ünïcødé ✗ 100%"), timeout=5)
            out["echo_error"] = ["OK", ""]
        except grpc.RpcError as e:
            out["echo_error"] = [e.code().name, e.details()]

        try:
            test.Echo(t.EchoRequest(text="slow", sleep_ms=10000), timeout=0.3)
            out["deadline"] = "OK"
        except grpc.RpcError as e:
            out["deadline"] = e.code().name

        out["count"] = [[m.index, len(m.payload)] for m in test.Count(t.CountRequest(count=50, payload_size=1000), timeout=10)]

        received = 0
        try:
            for _ in test.Count(t.CountRequest(count=2, fail_code=9, fail_message="précondition"), timeout=10):
                received += 1
            out["count_error"] = [received, "OK", ""]
        except grpc.RpcError as e:
            out["count_error"] = [received, e.code().name, e.details()]

        nope = channel.unary_unary("/arbor.test.v1.TestService/Nope")
        try:
            nope(b"", timeout=5)
            out["unknown_method"] = "OK"
        except grpc.RpcError as e:
            out["unknown_method"] = e.code().name

    # Large unary answers must arrive whole, whatever their size (they once stalled at 256 KiB).
    big_options = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    with grpc.insecure_channel(args.target, options=big_options) as channel:
        test = tg.TestServiceStub(channel)
        out["large_unary"] = [
            len(test.Echo(t.EchoRequest(text="big", response_size=size), timeout=20).text)
            for size in (300_000, 600_000, 6_000_000)
        ]

    print(json.dumps(out))


if __name__ == "__main__":
    main()
