"""Empty the tables between transactional tests with DELETE, not TRUNCATE, on PostgreSQL.

Django ends every `transaction=True` test (live-server browser tests, concurrency tests) by
flushing the database. On PostgreSQL that is one TRUNCATE of every table, which replaces each
table's and index's files: about 1 s for our ~60 tables whatever they hold, tens of seconds
over a CI pass. A test leaves a handful of rows, and deleting them costs milliseconds. Foreign
keys are DEFERRABLE INITIALLY DEFERRED in Django's schema, so the DELETEs run in any order
inside the flush's transaction. A flush that resets sequences or cascades keeps Django's TRUNCATE.
Tests only: registered by the root conftest, never imported by the project.
"""

from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush


def _sql_flush(
    self: DatabaseOperations,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    if reset_sequences or allow_cascade:
        # Rare (no test of ours asks): Django's own statement restarts identities and cascades.
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    if not tables:
        return []
    delete = style.SQL_KEYWORD("DELETE FROM")
    return ["SET CONSTRAINTS ALL DEFERRED;"] + [
        f"{delete} {style.SQL_FIELD(self.quote_name(t))};" for t in tables
    ]


def use_delete_for_flush() -> None:
    DatabaseOperations.sql_flush = _sql_flush  # type: ignore[method-assign,assignment]
