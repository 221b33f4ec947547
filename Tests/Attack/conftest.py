"""Fixtures of the attack suite: a seeded database per session, gRPC stubs per session, and per test a fresh
`arbor-server serve` with the flags the test names, stopped afterwards.

Environment:
    ARBOR_TEST_DATABASE_URL  a PostgreSQL cluster to create the test database in (required), e.g.
                             postgresql://postgres@127.0.0.1:55432/postgres
    ARBOR_SERVER_BINARY      the server binary (default $ARBOR_TEST_REPO/.build/debug/arbor-server, else this
                             checkout's .build/debug/arbor-server)
    ARBOR_ATTACK_REPORT      append one JSON line per test to this file
    ARBOR_ATTACK_LATENCY_FLOOR_MS, ARBOR_ATTACK_BASELINE_SECONDS, ARBOR_ATTACK_NICENESS  see arbor_attack.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

import pytest

import arbor_attack
from arbor_attack import ArborServer, AttackRun, Suite

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def _binary():
    if os.environ.get("ARBOR_SERVER_BINARY"):
        return os.environ["ARBOR_SERVER_BINARY"]
    repo = os.environ.get("ARBOR_TEST_REPO", REPO)
    return os.path.join(repo, ".build", "debug", "arbor-server")


def _with_database(url, name):
    """`url` pointed at database `name`: URL or libpq keyword string."""
    if "://" in url:
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))
    return f"{url} dbname={name}"


def _psql(url, sql):
    result = subprocess.run(["psql", url, "-X", "-v", "ON_ERROR_STOP=1", "-Atc", sql],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def _run(command, timeout):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed ({result.returncode}):\n{result.stderr}{result.stdout}")
    return result.stdout


@pytest.fixture(scope="session")
def suite():
    admin_url = os.environ.get("ARBOR_TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip("ARBOR_TEST_DATABASE_URL is not set (a PostgreSQL cluster to create the test database in)")
    binary = _binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no arbor-server binary at {binary} (build it, or set ARBOR_SERVER_BINARY)")

    workdir = tempfile.mkdtemp(prefix="arbor-attack-")
    stubs = os.path.join(workdir, "stubs")
    os.makedirs(stubs)
    # The suite attacks the server's service, arbor.v2, on the built-in war-story model: its contract is
    # schema/arbor.proto.
    schema = os.path.join(REPO, "schema")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", schema,
                    f"--python_out={stubs}", f"--grpc_python_out={stubs}",
                    os.path.join(schema, "arbor.proto"), os.path.join(schema, "health.proto")],
                   check=True)
    sys.path.insert(0, stubs)

    name = f"arbor_attack_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _psql(admin_url, f'CREATE DATABASE "{name}"')
    url = _with_database(admin_url, name)
    try:
        # seed-demo creates the demo's tables; migrate then installs the built-in model on them.
        _run([binary, "seed-demo", "--database-url", url, "--users", "2000", "--registrations", "200000",
              "--days", "30"], 600)
        _run([binary, "migrate", "--database-url", url], 300)
        # Raj (about 370 descendants in this organisation) is the legitimate Descendants root; the organisation's
        # top user roots the heavy requests.
        legit_root = _psql(url, "SELECT id FROM users WHERE name = 'Raj' ORDER BY id LIMIT 1") or \
            _psql(url, "SELECT id FROM users ORDER BY id LIMIT 1")
        top_root = _psql(url, "SELECT id FROM users u WHERE NOT EXISTS "
                              "(SELECT 1 FROM user_hierarchy h WHERE h.child_id = u.id) ORDER BY id LIMIT 1") or \
            legit_root
        yield Suite(binary, admin_url, name, url, stubs, workdir, str(uuid.UUID(legit_root)), str(uuid.UUID(top_root)))
    finally:
        try:
            _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


class Arbor:
    """Per test: servers to attack and attack runs around them."""

    def __init__(self, suite, test_name):
        self.suite = suite
        self.test_name = test_name
        self.servers = []

    def server(self, *flags):
        """A running server with these extra `serve` flags (plus `--grace-period 1` so stopping is quick)."""
        name = f"{self.test_name}-{len(self.servers)}".replace("/", "_")
        server = ArborServer(self.suite.binary, self.suite.database_url, [*flags, "--grace-period", "1"],
                             self.suite.workdir, name)
        self.servers.append(server)
        server.start()
        server.wait_serving()
        server.warm_up(self.suite.legit_root)
        return server

    def attack(self, server, finding, attack, check_latency=True):
        return AttackRun(self.suite, server, self.test_name, finding, attack, check_latency=check_latency)

    def stop(self):
        for server in self.servers:
            server.stop()


@pytest.fixture
def arbor(suite, request):
    harness = Arbor(suite, request.node.name)
    yield harness
    harness.stop()


def pytest_terminal_summary(terminalreporter):
    rows = arbor_attack.REPORT_ROWS
    if not rows:
        return
    terminalreporter.write_sep("-", "attack results (for docs/benchmarks.md)")
    terminalreporter.write_line(arbor_attack.table_header())
    for row in rows:
        terminalreporter.write_line(arbor_attack.table_line(row))
    terminalreporter.write_line(
        f"p99 bound: < {arbor_attack.LATENCY_FACTOR} x max(baseline p99, {arbor_attack.LATENCY_FLOOR_MS:g} ms), "
        "baseline measured first by the same clients; RSS < 500 MB during, <= baseline + 100 MB within 30 s after.")
