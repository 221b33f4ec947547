import os

import pytest

from arbor_client import ArborClient


def _client(variable: str):
    target = os.environ.get(variable)
    if not target:
        pytest.fail(f"{variable} is not set: these tests run from ArborCLITests (scripts/test)")
    return ArborClient(target, timeout=10)


@pytest.fixture(scope="session")
def team():
    """The text-id fixture (Tests/ArborCLITests/Fixtures/team) served by the server ArborCLITests started."""
    with _client("ARBOR_TEST_TEAM_SERVER") as client:
        yield client


@pytest.fixture(scope="session")
def tasks():
    """The integer-id fixture (Tests/ArborCLITests/Fixtures/tasks)."""
    with _client("ARBOR_TEST_TASKS_SERVER") as client:
        yield client


@pytest.fixture(scope="session")
def accounts():
    """The uuid-id fixture (Tests/ArborCLITests/Fixtures/accounts), 20,000 of its accounts under Bulk Root."""
    with _client("ARBOR_TEST_ACCOUNTS_SERVER") as client:
        yield client
