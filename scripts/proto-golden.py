#!/usr/bin/env python3
"""Golden vectors for ArborWire's protobuf codec, from the reference implementation (PyPI `protobuf`).

Reads a JSON request on stdin:
    {"schema_dir": ".../schema",
     "samples": [{"name": ..., "type": "arbor.v2.TraversalRequest", "json": {...proto3 JSON...},
                  "swift_hex": "..."}]}
compiles schema/arbor.proto (package arbor.v2) and schema/health.proto with grpc_tools.protoc into a temporary
folder, and for each sample writes (stdout, JSON) the bytes Python encodes for "json" and whether Python decodes
"swift_hex" to the same message:
    [{"name": ..., "python_hex": "...", "swift_decodes_equal": true, "swift_decoded": "<text format>",
      "fields_set": ["arbor.v2.Match.name", ...], "enum_values": ["arbor.v2.Source.LIVE", ...]}]
where "fields_set" names every field, at any depth, that holds a value other than its default, and "enum_values"
every named enum value such a field holds. With --describe it writes instead what the schema declares:
    {"messages": {"arbor.v2.Match": ["name", "values", "negate"], ...}, "enums": {"arbor.v2.Source": [...], ...}}
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


def coverage(message, fields, enums):
    """Adds the fields of message (recursively) that are set, and the named enum values they hold."""
    for field, value in message.ListFields():
        fields.add(f"{message.DESCRIPTOR.full_name}.{field.name}")
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            continue
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        values = value if repeated else [value]
        for element in values:
            if field.message_type is not None:
                coverage(element, fields, enums)
            elif field.enum_type is not None and element in field.enum_type.values_by_number:
                enums.add(f"{field.enum_type.full_name}.{field.enum_type.values_by_number[element].name}")


def describe(schema_files):
    """Every message with its fields and every enum with its values, of the compiled files."""
    messages, enums = {}, {}

    def add(descriptor):
        if descriptor.GetOptions().map_entry:
            return
        messages[descriptor.full_name] = [field.name for field in descriptor.fields]
        for nested in descriptor.nested_types:
            add(nested)
        for enum in descriptor.enum_types:
            enums[enum.full_name] = [value.name for value in enum.values]

    for name in schema_files:
        file = descriptor_pool.Default().FindFileByName(name)
        for descriptor in file.message_types_by_name.values():
            add(descriptor)
        for enum in file.enum_types_by_name.values():
            enums[enum.full_name] = [value.name for value in enum.values]
    return {"messages": messages, "enums": enums}


def main():
    request = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as out_dir:
        compile_schema(request["schema_dir"], out_dir)
        if "--describe" in sys.argv[1:]:
            json.dump(describe(["arbor.proto", "health.proto"]), sys.stdout)
            return
        results = []
        for sample in request["samples"]:
            cls = message_class(sample["type"])
            expected = json_format.ParseDict(sample["json"], cls())
            from_swift = cls.FromString(bytes.fromhex(sample["swift_hex"]))
            fields, enums = set(), set()
            coverage(expected, fields, enums)
            results.append({
                "name": sample["name"],
                "python_hex": expected.SerializeToString(deterministic=True).hex(),
                "swift_decodes_equal": from_swift == expected,
                "swift_decoded": text_format.MessageToString(from_swift, as_utf8=True),
                "fields_set": sorted(fields),
                "enum_values": sorted(enums),
            })
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
