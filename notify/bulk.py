"""Write many outbox rows' outcomes with one prepared statement (executemany).

The ORM compiles an UPDATE per call, and `bulk_update` builds a CASE over every column; for a
batch of sends both cost more than the sends themselves (ADR 17). The statement is built from
the model's own table and column names; the values go as parameters.
"""

from typing import Any

from django.db import connections
from django.db.models import Field

from dossiers.models import OutboxMessage

# The columns an outcome writes (notify.delivery._outcome_changes), the payload aside.
OUTCOME_FIELDS = (
    "status",
    "lease_until",
    "error",
    "next_attempt_at",
    "sent_at",
    "delivered_at",
    "provider_id",
)


def update_outcomes(rows: list[tuple[OutboxMessage, dict[str, Any]]]) -> None:
    """Set OUTCOME_FIELDS of each message: its `changes`, else its loaded values."""
    if not rows:
        return
    meta = OutboxMessage._meta
    fields: list[Field[Any, Any]] = [meta.get_field(name) for name in OUTCOME_FIELDS]  # type: ignore[misc]
    db = connections[OutboxMessage.objects.db]
    quote = db.ops.quote_name
    sets = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    table, pk = quote(meta.db_table), quote(str(meta.pk.column))
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - names from the model
    params = []
    for message, changes in rows:
        values = {name: changes.get(name, getattr(message, name)) for name in OUTCOME_FIELDS}
        params.append([f.get_db_prep_save(values[f.name], db) for f in fields] + [message.pk])
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
