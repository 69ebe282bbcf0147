"""dossiers.rows.insert writes what save(force_insert=True) writes, with the same signals."""

from typing import Any

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from conftest import World
from dossiers.models import Dossier, OutboxMessage
from dossiers.rows import insert
from testing.dossiers import intake

pytestmark = pytest.mark.django_db


def test_an_inserted_row_reads_back_as_saved(world: World) -> None:
    d = intake(world, timezone.now())
    now = timezone.now()
    seen: list[tuple[str, bool]] = []

    def pre(sender: Any, instance: Any, **kw: Any) -> None:
        seen.append(("pre", instance.pk is None))

    def post(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
        seen.append(("post", created and instance.pk is not None))

    pre_save.connect(pre, sender=OutboxMessage)
    post_save.connect(post, sender=OutboxMessage)
    try:
        fast = OutboxMessage(
            dossier=d, kind="k", channel="sms", recipient="0912", payload={"a": "á"}, created_at=now
        )
        insert(fast)
    finally:
        pre_save.disconnect(pre, sender=OutboxMessage)
        post_save.disconnect(post, sender=OutboxMessage)
    assert seen == [("pre", True), ("post", True)]
    slow = OutboxMessage.objects.create(
        dossier=d, kind="k", channel="sms", recipient="0912", payload={"a": "á"}, created_at=now
    )
    read = OutboxMessage.objects.get(pk=fast.pk)
    assert fast.pk and not fast._state.adding
    fields = [f.attname for f in OutboxMessage._meta.concrete_fields if f.attname != "id"]
    for name in fields:
        if name != "reference":  # a new UUID each
            assert getattr(read, name) == getattr(slow, name), name
    assert read.reference == fast.reference


def test_a_model_with_database_defaults_is_refused(world: World) -> None:
    with pytest.raises(TypeError, match="database defaults"):
        insert(Dossier())
