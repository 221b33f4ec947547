#!/usr/bin/env bash
# Regenerates arbor_client/_generated from schema/*.proto. Run from anywhere with a Python that has grpcio-tools
# (PYTHON=.build-py/venv/bin/python by default). The -I mapping places the protos at arbor_client/_generated/ so that
# the generated modules import each other as arbor_client._generated.*.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-$repo/.build-py/venv/bin/python}"
cd "$here"
"$python" -m grpc_tools.protoc \
    -Iarbor_client/_generated="$repo/schema" \
    --python_out=. --pyi_out=. --grpc_python_out=. \
    arbor_client/_generated/arbor.proto arbor_client/_generated/health.proto
