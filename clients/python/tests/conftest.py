import os

import pytest

from arbor_client import ArborClient


@pytest.fixture(scope="session")
def arbor():
    """A client for the server ArborCLITests started on Tests/ArborCLITests/Fixtures/dataset.sql."""
    target = os.environ.get("ARBOR_TEST_SERVER")
    if not target:
        pytest.fail("ARBOR_TEST_SERVER is not set: these tests run from ArborCLITests (scripts/test)")
    with ArborClient(target, timeout=10) as client:
        yield client
