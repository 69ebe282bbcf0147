"""`--database-tests-only`: keep only the tests that use the database under test.

`.ci/run` runs the suite twice, on SQLite and on PostgreSQL, to prove that everything touching
the database behaves the same on both engines. A test that never opens the test database (pure
calendars, settings checks in a subprocess, the scale-out test with its own PostgreSQL database)
gives the same answer in both passes, so the PostgreSQL pass leaves it out (it ran, and passed,
in the SQLite pass of the same CI run) and prints how many it left out. ADR 25.

A test uses the database when pytest-django marks it `django_db` or one of its fixtures is
`db`, `transactional_db`, `live_server` or `django_db_setup` (pytest-django blocks the
database for every other test, so no test can use it unseen).
"""

from typing import Any

import pytest

DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database under test (the CI's second engine)",
    )


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[Any]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept = [i for i in items if uses_database(i)]
    left = [i for i in items if not uses_database(i)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"--database-tests-only: {len(left)} tests that never open the database left "
                "out (they ran in the SQLite pass)",
                yellow=True,
            )
