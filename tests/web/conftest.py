from __future__ import annotations

import pytest

from storage import Storage
from tests.harness import Harness


@pytest.fixture
def harness_on(storage: Storage) -> Harness:
    """A harness on each database in turn (the `storage` fixture)."""
    return Harness(storage)
