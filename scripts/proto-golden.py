#!/usr/bin/env python3
"""Golden vectors for ArborWire's protobuf codec, from the reference implementation (PyPI `protobuf`).

Reads a JSON request on stdin:
    {"schema_dir": ".../schema",
     "samples": [{"name": ..., "type": "arbor.v2.TraversalRequest", "json": {...proto3 JSON...},
                  "swift_hex": "..."}]}
compiles schema/arbor.proto (package arbor.v2) and schema/health.proto with grpc_tools.protoc into a temporary
folder, and for each sample writes (stdout, JSON) the bytes Python encodes for "json" and whether Python decodes
"swift_hex" to the same message:
    [{"name": ..., "python_hex": "...", "swift_decodes_equal": true, "swift_decoded": "<text format>"}]
Python encodes deterministically, which only changes the order of map entries: without it, upb writes them in
hash-table order. Run by Tests/ArborWireTests/GoldenVectorTests.swift with $ARBOR_TEST_PYTHON (see scripts/setup).
"""
import json
import os
import sys
import tempfile

from google.protobuf import descriptor_pool, json_format, message_factory, text_format
from grpc_tools import protoc


def compile_schema(schema_dir, out_dir):
    args = ["grpc_tools.protoc", f"-I{schema_dir}", f"--python_out={out_dir}"]
    args += [os.path.join(schema_dir, name) for name in ("arbor.proto", "health.proto")]
    if protoc.main(args) != 0:
        sys.exit("protoc failed to compile the schema")
    sys.path.insert(0, out_dir)
    import arbor_pb2  # noqa: F401  (registers the arbor.v2 messages in the default pool)
    import health_pb2  # noqa: F401


def message_class(full_name):
    descriptor = descriptor_pool.Default().FindMessageTypeByName(full_name)
    return message_factory.GetMessageClass(descriptor)


def main():
    request = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as out_dir:
        compile_schema(request["schema_dir"], out_dir)
        results = []
        for sample in request["samples"]:
            cls = message_class(sample["type"])
            expected = json_format.ParseDict(sample["json"], cls())
            from_swift = cls.FromString(bytes.fromhex(sample["swift_hex"]))
            results.append({
                "name": sample["name"],
                "python_hex": expected.SerializeToString(deterministic=True).hex(),
                "swift_decodes_equal": from_swift == expected,
                "swift_decoded": text_format.MessageToString(from_swift, as_utf8=True),
            })
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
