"""INSERT a new model instance through one statement built once per model, for the hot paths
(an event of the chain, an outbox row of a payment notice): the ORM builds and compiles the
same INSERT again on every save, which was a third of an IPN's time (ADR 19, bench `ipn`).

`insert(obj)` does what `obj.save(force_insert=True)` does for the models it is used on: each
field's `pre_save` and database value, `pre_save` and `post_save` signals (the outbox's
delivery wake-up listens to `post_save`), the primary key set from the database.
"""

from functools import cache
from typing import Any

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save


@cache
def _statement(model: type[models.Model], alias: str) -> tuple[str, tuple[Any, ...], bool]:
    """The model's INSERT (every concrete field but an auto primary key), its fields, and
    whether it returns the new key (RETURNING) or leaves it to the cursor's lastrowid."""
    meta = model._meta
    connection = connections[alias]
    fields = tuple(
        f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))
    )
    if any(f.has_db_default() for f in fields):  # the ORM leaves those to the database
        raise TypeError(f"{model.__name__} has database defaults; save() it instead")
    quote = connection.ops.quote_name
    # Names from the model's metadata, values as parameters.
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    )
    returning = connection.features.can_return_columns_from_insert
    if returning:
        sql += f" RETURNING {quote(str(meta.pk.column))}"
    return sql, fields, returning


def insert(obj: models.Model) -> None:
    """INSERT `obj` (new, with an auto primary key) as save(force_insert=True) would."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    sql, fields, returning = _statement(model, alias)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias
    post_save.send(
        sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias
    )
