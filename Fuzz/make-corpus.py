#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Fuzz/Corpus/<target>/ (standard library only).

Seeds are small valid inputs that take each target down its main paths: contract messages with every kind of
field, framed message streams cut several ways, and HTTP/2 connections that call each method of the fuzzed
server. Run it from anywhere; it rewrites the seed files it owns and leaves the rest of a corpus alone.
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")


# Protobuf wire format.

def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def tag(field, wire_type):
    return varint(field << 3 | wire_type)


def f_varint(field, value):
    return tag(field, 0) + varint(value)


def f_bytes(field, value):
    if isinstance(value, str):
        value = value.encode()
    return tag(field, 2) + varint(len(value)) + value


def f_packed(field, values):
    body = b"".join(varint(v) for v in values)
    return tag(field, 2) + varint(len(body)) + body


UUID_A = bytes(range(0x10, 0x20))
UUID_B = bytes(range(0xA0, 0xB0))

freshness = f_varint(1, 5000) + f_varint(2, 1) + f_varint(3, 42)
user_filter = (f_bytes(1, "agent") + f_bytes(1, "supervisor") + f_bytes(2, "Bihar") + f_bytes(3, "Patna")
               + f_bytes(4, "Block 7") + f_bytes(5, "Village") + f_varint(6, 1) + f_varint(7, 0))
meta = f_varint(1, 2) + f_varint(2, -1_700_000_000_000) + f_varint(3, 7) + f_varint(4, 1)
user = (f_bytes(1, UUID_A) + f_bytes(2, "Zoë Ångström") + f_bytes(3, "agent") + f_bytes(4, "Bihar")
        + f_bytes(5, "Patna") + f_bytes(6, "Block 7") + f_bytes(7, "Village") + f_varint(8, 1) + f_varint(9, 1))
role_count = f_bytes(1, "agent") + f_varint(2, 12)
leaderboard_row = (f_varint(1, 1) + f_bytes(2, UUID_B) + f_bytes(3, "Raj") + f_bytes(4, "supervisor")
                   + f_varint(5, 3) + f_varint(6, 300) + f_varint(7, 4) + f_varint(8, 90) + f_bytes(9, role_count))

PROTO_SEEDS = {
    "empty": b"",
    "health-check-request": f_bytes(1, "arbor.v2.Hierarchy"),
    "health-check-response": f_varint(1, 1),
    "freshness": freshness,
    "response-meta-negative-time": meta,
    "descendants-request": (f_bytes(1, UUID_A) + f_varint(2, 3) + f_bytes(3, user_filter) + f_varint(4, 1)
                            + f_varint(5, 100) + f_bytes(6, freshness)),
    "descendants-chunk": f_bytes(1, UUID_A + UUID_B) + f_packed(2, [1, 2]) + f_bytes(3, meta) + f_varint(4, 2),
    "descendants-chunk-unpacked-depths": f_bytes(1, UUID_A) + f_varint(2, 1) + f_varint(2, 300),
    "filtered-stats-request": (f_bytes(1, UUID_A) + f_varint(2, 1) + f_varint(3, 2) + f_bytes(4, user_filter)
                               + f_bytes(5, "sale") + f_bytes(6, "app") + f_bytes(7, "2026-11-01")
                               + f_bytes(8, "2026-11-30") + f_packed(9, [1, 2, 99, -1]) + f_bytes(10, freshness)),
    "filtered-stats-response": (f_bytes(1, f_bytes(1, "2026-11-01") + f_bytes(1, "agent") + f_varint(2, 9)
                                        + f_varint(3, 4)) + f_varint(2, 9) + f_varint(3, 30) + f_bytes(4, meta)),
    "find-users-request": f_bytes(1, "Ra") + f_bytes(2, UUID_A + UUID_B) + f_varint(3, 10) + f_bytes(4, freshness),
    "find-users-response": f_bytes(1, user) + f_bytes(1, f_bytes(1, UUID_B)) + f_bytes(2, meta),
    "leaderboard-request": (f_varint(1, 5) + f_bytes(2, "agent") + f_varint(3, 1) + f_bytes(4, user_filter)
                            + f_bytes(5, UUID_A) + f_bytes(6, "sale") + f_bytes(7, "app") + f_bytes(8, "2026-11-01")
                            + f_bytes(9, "2026-11-30") + f_varint(10, 10) + f_varint(11, 20)
                            + f_bytes(12, freshness)),
    "leaderboard-response": f_bytes(1, leaderboard_row) + f_varint(2, 1000) + f_bytes(3, meta),
    "cycles-request": f_varint(1, 5) + f_bytes(2, freshness),
    "cycles-response": f_bytes(1, f_bytes(1, UUID_A + UUID_B)) + f_varint(2, 1) + f_bytes(3, meta),
    # Fields this version does not know, of every wire type, between known ones.
    "unknown-fields": (f_bytes(1, "x") + f_varint(100, 1) + tag(101, 1) + bytes(8) + tag(102, 5) + bytes(4)
                       + f_bytes(103, b"\x00\xff") + f_varint(2, 7)),
}


# gRPC framing.

def grpc_frame(message, flag=0):
    return bytes([flag]) + struct.pack(">I", len(message)) + message


def deframer_input(limit_index, mode, seed, stream):
    return bytes([mode << 3 | limit_index, seed]) + stream


two_messages = grpc_frame(PROTO_SEEDS["health-check-request"]) + grpc_frame(PROTO_SEEDS["descendants-request"])

DEFRAMER_SEEDS = {
    "two-messages-whole": deframer_input(7, 0, 0, two_messages),
    "two-messages-bytewise": deframer_input(7, 1, 0, two_messages),
    "two-messages-random-cuts": deframer_input(7, 5, 0x5A, two_messages),
    "empty-message-then-partial": deframer_input(4, 3, 1, grpc_frame(b"") + grpc_frame(b"abcdef")[:8]),
    "compressed-flag": deframer_input(7, 2, 2, grpc_frame(b"hello", flag=1)),
    "over-limit": deframer_input(3, 4, 3, grpc_frame(bytes(65)) + grpc_frame(b"x")),
    "at-limit": deframer_input(2, 6, 4, grpc_frame(b"12345") + grpc_frame(b"")),
}


# HTTP/2 (RFC 9113) with HPACK (RFC 7541) header blocks, no Huffman coding.

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
JOIN = 0x8000_0000  # The reserved bit: the fuzz target feeds this frame in the same read as the one before.


def frame(kind, flags, stream, payload, join=False):
    return (struct.pack(">I", len(payload))[1:] + bytes([kind, flags])
            + struct.pack(">I", stream | (JOIN if join else 0)) + payload)


def settings(*entries, ack=False):
    return frame(SETTINGS, ACK if ack else 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in entries))


def literal(name, value):
    """A literal field without indexing, new name."""
    return b"\x00" + varint(len(name)) + name.encode() + varint(len(value)) + value.encode()


def literal_indexed_name(index, value, incremental=False):
    """A literal field whose name is a static-table entry; with `incremental`, added to the dynamic table."""
    prefix = bytes([0x40 | index]) if incremental else (bytes([index]) if index < 15 else b"\x0f" + varint(index - 15))
    return prefix + varint(len(value)) + value.encode()


def request_block(path, extra=()):
    block = literal(":method", "POST") + literal(":scheme", "http") + literal(":path", path)
    block += literal(":authority", "127.0.0.1") + literal("content-type", "application/grpc")
    block += literal("te", "trailers")
    for name, value in extra:
        block += literal(name, value)
    return block


def call(stream, path, message, extra=(), join_data=False):
    return (frame(HEADERS, END_HEADERS, stream, request_block(path, extra))
            + frame(DATA, END_STREAM, stream, grpc_frame(message), join=join_data))


HEALTH = "/grpc.health.v1.Health/Check"
UNARY = "/arbor.fuzz.Echo/Unary"
STREAM = "/arbor.fuzz.Echo/Stream"
FAIL = "/arbor.fuzz.Echo/Fail"
OPEN = PREFACE + settings((0x4, 65535), (0x2, 0))

# The same request with HPACK's static and dynamic tables: :method POST (index 3), :scheme http (index 6), :path
# by indexed name with incremental indexing, :authority (1) and content-type (31) by indexed name, te as a new name
# indexed incrementally; the second request on stream 3 reuses the dynamic entries (62 = te, 63 = :path).
indexed_block = (b"\x83\x86" + literal_indexed_name(4, HEALTH, incremental=True)
                 + literal_indexed_name(1, "localhost") + literal_indexed_name(31, "application/grpc")
                 + b"\x40" + varint(2) + b"te" + varint(8) + b"trailers")
indexed_again = (b"\x83\x86\xbf" + literal_indexed_name(1, "localhost") + b"\xbe"
                 + literal_indexed_name(31, "application/grpc+proto"))

health_request = PROTO_SEEDS["health-check-request"]
headers_block = request_block(UNARY, [("x-trace", "abc")])

SERVER_SEEDS = {
    "health-check": OPEN + call(1, HEALTH, health_request),
    "health-check-empty-service": OPEN + call(1, HEALTH, b""),
    "health-check-unknown-service": OPEN + call(1, HEALTH, f_bytes(1, "nope")),
    "health-check-indexed-headers": (OPEN + frame(HEADERS, END_HEADERS, 1, indexed_block)
                                     + frame(DATA, END_STREAM, 1, grpc_frame(health_request))
                                     + frame(HEADERS, END_HEADERS, 3, indexed_again)
                                     + frame(DATA, END_STREAM, 3, grpc_frame(b""))),
    "unary-echo-with-timeout": OPEN + call(1, UNARY, b"hello", [("grpc-timeout", "100m"), ("x-id", "7")]),
    "unary-echo-one-read": OPEN + call(1, UNARY, b"hello", join_data=True),
    "unary-echo-continuation": (OPEN + frame(HEADERS, 0, 1, headers_block[:20])
                                + frame(CONTINUATION, END_HEADERS, 1, headers_block[20:])
                                + frame(DATA, 0, 1, grpc_frame(b"split")[:3])
                                + frame(DATA, END_STREAM, 1, grpc_frame(b"split")[3:])),
    "streaming-echo-three": (OPEN + settings(ack=True) + call(1, STREAM, b"\x03abc")
                             + frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 1 << 20))
                             + frame(PING, 0, 0, b"pingpong")),
    "streaming-echo-window-zero": (PREFACE + settings((0x4, 0)) + call(1, STREAM, b"\x03" + bytes(70))
                                   + frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 40))),
    "fail-with-message": OPEN + call(1, FAIL, "bad % input \n ü".encode()),
    "two-streams-one-reset": (OPEN + frame(HEADERS, END_HEADERS, 1, request_block(UNARY))
                              + frame(HEADERS, END_HEADERS, 3, request_block(STREAM))
                              + frame(RST_STREAM, 0, 3, struct.pack(">I", 8))
                              + frame(DATA, END_STREAM, 1, grpc_frame(b"one"))),
    "unknown-method": OPEN + call(1, "/arbor.v2.Hierarchy/Nope", b""),
    "wrong-content-type": OPEN + frame(HEADERS, END_HEADERS | END_STREAM, 1,
                                       literal(":method", "POST") + literal(":scheme", "http")
                                       + literal(":path", UNARY) + literal("content-type", "text/plain")),
    "get-request": OPEN + frame(HEADERS, END_HEADERS | END_STREAM, 1,
                                literal(":method", "GET") + literal(":scheme", "http") + literal(":path", "/")),
    "two-messages-in-unary": (OPEN + frame(HEADERS, END_HEADERS, 1, request_block(UNARY))
                              + frame(DATA, END_STREAM, 1, grpc_frame(b"a") + grpc_frame(b"b"))),
    "message-over-limit": (OPEN + frame(HEADERS, END_HEADERS, 1, request_block(UNARY))
                           + frame(DATA, END_STREAM, 1, grpc_frame(bytes(300)))),
    "no-message-then-goaway": (OPEN + frame(HEADERS, END_HEADERS | END_STREAM, 1, request_block(UNARY))
                               + frame(GOAWAY, 0, 0, struct.pack(">II", 1, 0))),
    "deadline-before-request-ends": (OPEN + frame(HEADERS, END_HEADERS, 1,
                                                  request_block(UNARY, [("grpc-timeout", "30m")]))
                                     + frame(PING, 0, 0, b"12345678") + frame(PING, 0, 0, b"abcdefgh")),
}


def write(target, seeds):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seeds)} seeds in {os.path.relpath(folder)}")


if __name__ == "__main__":
    write("fuzz-proto", PROTO_SEEDS)
    write("fuzz-deframer", DEFRAMER_SEEDS)
    write("fuzz-server-connection", SERVER_SEEDS)
