"""Fixtures every test may use: the shared world of personas, and clean per-test caches.

The world itself is built in testing/world.py; fixtures for PDF signing and the browser live
in testing/ too and are registered here. Test modules share helpers through testing/, never
by importing one another.
"""

from typing import Any

import pytest

from testing.caches import forget_process_caches
from testing.flush import use_delete_for_flush
from testing.world import World, build_world, make_record

pytest_plugins = [
    "testing.browser",
    "testing.signing",
    "testing.clamd",
    "testing.oidc",
    "testing.notify",
    "testing.portal",
    "testing.vnpay",
    "testing.engine_free",
]

__all__ = ["World", "make_record"]  # older tests import these from here

use_delete_for_flush()  # PostgreSQL: DELETE, not TRUNCATE, between transactional tests


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # PBKDF2 at production strength costs ~0.3 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    forget_process_caches()


@pytest.fixture
def world(db: Any) -> World:
    """Return the shared world: ward A and B, their personas, a birth registration procedure."""
    return build_world()
