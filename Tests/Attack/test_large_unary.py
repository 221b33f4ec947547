"""Finding 1: a unary answer over 256 KiB stalled until the deadline unless the client sent another frame."""

import struct
import time

from arbor_attack import (
    ATTACKER, GRPC_OK, HIERARCHY, MAX_WINDOW, PREFACE, SETTINGS_INITIAL_WINDOW_SIZE, RawConnection, data_frames,
    grpc_headers, grpc_message, header_block, headers_frame, pb, settings, window_update)


def test_large_unary_answer_arrives_whole_without_another_client_frame(arbor, suite):
    server = arbor.server()
    request = pb().FilteredStatsRequest(root=suite.legit_root, group_by=["node", "day"]).SerializeToString()
    with arbor.attack(server, "1", "unary answer > 256 KiB; big windows in the first frames, then silence") as run:
        sizes = []
        for _ in range(2):
            # Everything in one write: windows opened by SETTINGS and WINDOW_UPDATE, the request, then nothing (not
            # even a SETTINGS ACK) until the answer has arrived. The 30 s deadline is what the old server stalled to.
            connection = RawConnection(server.port, source=ATTACKER, auto_ack=False, keep_data=True)
            started = time.monotonic()
            connection.send(PREFACE + settings([(SETTINGS_INITIAL_WINDOW_SIZE, MAX_WINDOW)])
                            + window_update(0, MAX_WINDOW - 65535)
                            + headers_frame(1, header_block(grpc_headers(HIERARCHY + "FilteredStats", timeout=30)))
                            + data_frames(1, grpc_message(request), end_stream=True))
            stream = connection.stream(1)
            connection.wait(lambda: stream.done, timeout=10)
            elapsed = time.monotonic() - started
            connection.close()
            assert stream.done, f"no complete answer within 10 s ({stream.data_bytes} bytes arrived)"
            assert stream.grpc_status == GRPC_OK, stream.describe()
            length = struct.unpack(">I", bytes(stream.data[1:5]))[0]
            assert len(stream.data) == 5 + length, "the answer is not one whole gRPC message"
            assert length > 256 * 1024, f"the answer ({length} bytes) is not over 256 KiB; the test proves nothing"
            answer = pb().FilteredStatsResponse.FromString(bytes(stream.data[5:]))
            assert answer.rows
            sizes.append((length, elapsed))
        run.hold(3)
        run.outcome = "whole answer: " + ", ".join(f"{n // 1024} KiB in {t * 1000:.0f} ms" for n, t in sizes)
