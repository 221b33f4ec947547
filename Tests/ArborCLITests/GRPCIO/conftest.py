"""grpcio against running arbor-servers: raw stubs generated from schema/*.proto, and a reference of each fixture read
from its database with SQL, independent of the server.

Run by GRPCIOInteropTests.swift, which starts one server per fixture (Tests/ArborCLITests/Fixtures) and passes, for
each fixture NAME, ARBOR_TEST_<NAME>_SERVER (host:port) and ARBOR_TEST_<NAME>_DATABASE_URL, plus ARBOR_TEST_PG_BIN.
"""

import os
import pathlib
import subprocess
import sys
import tempfile
import time
import uuid

import grpc
import pytest

from reference import Reference

SCHEMA = pathlib.Path(__file__).resolve().parents[3] / "schema"
_STUBS = tempfile.TemporaryDirectory(prefix="arbor-grpcio-stubs-")


def _generate_stubs():
    from grpc_tools import protoc

    arguments = ["protoc", f"-I{SCHEMA}", f"--python_out={_STUBS.name}", f"--grpc_python_out={_STUBS.name}"]
    arguments += [str(SCHEMA / name) for name in ("arbor.proto", "health.proto")]
    if protoc.main(arguments) != 0:
        raise RuntimeError(f"grpc_tools.protoc could not compile {SCHEMA}")
    sys.path.insert(0, _STUBS.name)


_generate_stubs()
import arbor_pb2  # noqa: E402  (generated above)
import arbor_pb2_grpc  # noqa: E402
import health_pb2  # noqa: E402
import health_pb2_grpc  # noqa: E402

pb = arbor_pb2


def _require(variable):
    value = os.environ.get(variable)
    if not value:
        pytest.fail(f"{variable} is not set: these tests run from GRPCIOInteropTests (swift test)")
    return value


class SQL:
    """psql against a fixture's database: rows as tuples of text (NULL as None)."""

    def __init__(self, url):
        self.url = url
        self.psql = os.path.join(_require("ARBOR_TEST_PG_BIN"), "psql")

    def rows(self, query, **variables):
        arguments = [self.psql, self.url, "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\\N"]
        arguments += ["-v", "ON_ERROR_STOP=1"]
        for name, value in variables.items():
            arguments += ["-v", f"{name}={value}"]
        done = subprocess.run(arguments, input=query, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr}")
        return [
            tuple(None if field == "\\N" else field for field in line.split("\x1f"))
            for line in done.stdout.split("\n")
            if line
        ]

    def value(self, query, **variables):
        (row,) = self.rows(query, **variables)
        return row[0]

    def background_lock(self, table, seconds):
        """Holds an ACCESS EXCLUSIVE lock on `table` for `seconds` in a session of its own; returns once it is held."""
        script = f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep({seconds}); COMMIT;"
        holder = subprocess.Popen(
            [self.psql, self.url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", script],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        query = (
            "SELECT count(*) FROM pg_locks WHERE relation = '{table}'::regclass AND mode = 'AccessExclusiveLock' "
            "AND granted"
        ).format(table=table)
        deadline = time.monotonic() + 10
        while self.value(query) != "1":
            if holder.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"could not lock {table}: {holder.stderr.read() if holder.stderr else ''}")
            time.sleep(0.05)
        return holder


class Server:
    """A running arbor-server: raw grpcio stubs of arbor.v2.Hierarchy and grpc.health.v1.Health, its database, and
    the reference answers computed from that database."""

    def __init__(self, name, reference_spec):
        self.name = name
        self.target = _require(f"ARBOR_TEST_{name.upper()}_SERVER")
        self.sql = SQL(_require(f"ARBOR_TEST_{name.upper()}_DATABASE_URL"))
        self.channel = grpc.insecure_channel(self.target)
        self.hierarchy = arbor_pb2_grpc.HierarchyStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)
        self._reference_spec = reference_spec
        self._reference = None

    @property
    def reference(self):
        if self._reference is None:
            self._reference = Reference.load(self.sql, **self._reference_spec)
        return self._reference

    def close(self):
        self.channel.close()


# How each fixture's tables map onto nodes, edges and events (the reference reads them with SQL).
ACCOUNTS = dict(
    id_type="uuid",
    time_zone="America/New_York",
    nodes="SELECT id::text, name, tier::text, region, verified::text, seats::text FROM accounts",
    attributes=["tier", "region", "verified", "seats"],
    attribute_kinds={"tier": "text", "region": "text", "verified": "boolean", "seats": "integer"},
    edges="SELECT parent_id::text, child_id::text FROM account_links",
    sources={
        "orders": dict(
            table="orders",
            node="account_id",
            day="(placed_at AT TIME ZONE 'America/New_York')::date",
            dimensions=["channel", "status"],
            measures={"units": "units", "total": "round(total * 10)"},
        ),
        "openings": dict(
            table="accounts", node="id", day="opened_on", dimensions=[], measures={"seats_opened": "seats"}
        ),
    },
)
TEAM = dict(
    id_type="text",
    time_zone="Asia/Kolkata",
    nodes="SELECT handle, full_name, role, region, active::text, grade::text FROM people",
    attributes=["role", "region", "active", "grade"],
    attribute_kinds={"role": "text", "region": "text", "active": "boolean", "grade": "integer"},
    edges="SELECT manager, member FROM reports_to",
    sources={
        "sales": dict(
            table="sales",
            node="seller",
            day="(sold_at AT TIME ZONE 'Asia/Kolkata')::date",
            dimensions=["channel", "kind"],
            measures={"amount": "round(amount * 100)"},
        ),
        "visits": dict(table="visits", node="person", day="visit_day", dimensions=[], measures={}),
    },
)
TASKS = dict(
    id_type="integer",
    time_zone="UTC",
    nodes="SELECT id::text, title, status, priority::text FROM tasks",
    attributes=["status", "priority"],
    attribute_kinds={"status": "text", "priority": "integer"},
    edges="SELECT parent_id::text, id::text FROM tasks WHERE parent_id IS NOT NULL",
    sources={
        "created": dict(table="tasks", node="id", day="created_at::date", dimensions=[], measures={"effort": "effort"}),
    },
)


@pytest.fixture(scope="session")
def accounts():
    """The uuid-id fixture (Fixtures/accounts): 20,010 accounts, many-to-many links, orders and openings."""
    server = Server("accounts", ACCOUNTS)
    yield server
    server.close()


@pytest.fixture(scope="session")
def team():
    """The text-id fixture (Fixtures/team)."""
    server = Server("team", TEAM)
    yield server
    server.close()


@pytest.fixture(scope="session")
def tasks():
    """The integer-id fixture (Fixtures/tasks)."""
    server = Server("tasks", TASKS)
    yield server
    server.close()


CACHE = pb.Freshness(max_staleness_ms=3_600_000)
LIVE = pb.Freshness(require_live=True)


@pytest.fixture(params=["cache", "live"])
def freshness(request):
    """Each answer is checked from the snapshot and from live SQL."""
    return (request.param, CACHE if request.param == "cache" else LIVE)


def node_ids(message, id_type):
    """The ids of a NodeIds message as canonical text; only the model's field may be set."""
    fields = {"uuids": bool(message.uuids), "ints": bool(message.ints), "texts": bool(message.texts)}
    expected = {"uuid": "uuids", "integer": "ints", "text": "texts"}[id_type]
    assert not any(set_ for name, set_ in fields.items() if name != expected), f"{fields} set for a {id_type} model"
    if id_type == "uuid":
        assert len(message.uuids) % 16 == 0
        return [str(uuid.UUID(bytes=message.uuids[i : i + 16])) for i in range(0, len(message.uuids), 16)]
    if id_type == "integer":
        return [str(value) for value in message.ints]
    return list(message.texts)
