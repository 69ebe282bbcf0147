from typing import Any

import pytest

from fieldreports.defaults import seed
from fieldreports.models import Category


@pytest.fixture(autouse=True)
def categories(db: Any) -> None:
    """The default categories: the migration seeds them, but a transactional test before this
    one (browser tests) flushes every table."""
    seed(Category)
