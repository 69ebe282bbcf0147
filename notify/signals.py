"""Every outbox row written is queued for delivery once its transaction commits."""

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from notify.delivery import deliver_due, forget_rules, writing_history
from notify.models import Switch, Template


@receiver(pre_save, sender=OutboxMessage)
def mark_history(sender: Any, instance: OutboxMessage, raw: bool = False, **_: Any) -> None:
    if instance._state.adding and not raw and writing_history():
        instance.status = MessageStatus.HISTORICAL


@receiver(post_save, sender=OutboxMessage)
def queue_delivery(
    sender: Any, instance: OutboxMessage, created: bool, raw: bool = False, **_: Any
) -> None:
    if not created or raw or instance.status != MessageStatus.CREATED:
        return
    # One wake-up per transaction however many rows it writes: the batch sender takes them all.
    if any(entry[1] is _wake for entry in connection.run_on_commit):
        return
    # robust: a queue that cannot be reached loses nothing, the sweep queues it later.
    transaction.on_commit(_wake, robust=True)


def _wake() -> None:
    """Queue the batch sender, unless a wake-up already waits to start (database backend).

    One that has not started yet reads the due messages after this commit, so it takes this
    transaction's rows too; one already running may not, so then another is queued.
    """
    if settings.TASKS_BACKEND == "db" and _wake_waits():
        return
    deliver_due.enqueue()


def _wake_waits() -> bool:
    """Whether a delivery wake-up is queued and not started: DBTaskResult.objects.ready()
    .filter(task_path=...).exists() as one fixed statement. It runs after every committing
    transaction that wrote outbox rows (each IPN's), where building the ORM query cost
    more than the rest of the commit (ADR 19)."""
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE status = %s AND task_path = %s "  # noqa: S608
            "AND (run_after = %s OR run_after <= %s) LIMIT 1",
            [
                TaskResultStatus.READY,
                deliver_due.module_path,
                connection.ops.adapt_datetimefield_value(get_date_max()),
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        return cursor.fetchone() is not None


for model in (Template, Switch):
    post_save.connect(
        forget_rules, sender=model, dispatch_uid=f"notify-rules-save-{model.__name__}"
    )
    post_delete.connect(
        forget_rules, sender=model, dispatch_uid=f"notify-rules-delete-{model.__name__}"
    )
