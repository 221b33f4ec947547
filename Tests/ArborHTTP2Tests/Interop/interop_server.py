"""grpcio server for the interop tests: the test service and Health, on 127.0.0.1 with a free port.

Prints `PORT <n>` once serving and stops when its standard input closes.
"""
import argparse
import sys
import time
from concurrent import futures

import grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stubs", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    import arbor_test_pb2 as t
    import arbor_test_pb2_grpc as tg
    import health_pb2 as h
    import health_pb2_grpc as hg

    class Health(hg.HealthServicer):
        def Check(self, request, context):
            if request.service not in ("", "arbor.v2.Hierarchy"):
                context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
            return h.HealthCheckResponse(status=h.HealthCheckResponse.SERVING)

    def status(code):
        return next(s for s in grpc.StatusCode if s.value[0] == code)

    class Test(tg.TestServiceServicer):
        def Echo(self, request, context):
            if request.sleep_ms:
                deadline = time.monotonic() + request.sleep_ms / 1000
                while time.monotonic() < deadline and context.is_active():
                    time.sleep(0.01)
            if request.fail_code:
                context.abort(status(request.fail_code), request.fail_message)
            return t.EchoResponse(text=request.text)

        def Count(self, request, context):
            for i in range(request.count):
                yield t.CountResponse(index=i, payload=b"a" * request.payload_size)
            if request.fail_code:
                context.abort(status(request.fail_code), request.fail_message)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    hg.add_HealthServicer_to_server(Health(), server)
    tg.add_TestServiceServicer_to_server(Test(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
