from django.db import migrations
from django.db.models import F


def rebuild_changed_counters(apps, schema_editor):
    # The overdue rule became "past due at the clock end at T" (dossiers.timeliness): a dossier
    # paused after its due instant now counts as overdue from that instant, no longer from its
    # receipt. Recount the units holding such dossiers (the same code as
    # `manage.py rebuild_figures`, as 0002 does).
    from dossiers.figures import rebuild  # noqa: PLC0415 - the live recount, like 0002

    Dossier = apps.get_model("dossiers", "Dossier")
    changed = (
        Dossier.objects.filter(paused_at__isnull=False, due_at__lt=F("paused_at"))
        .filter(received_at__lt=F("due_at"))
        .values_list("competent_unit_id", flat=True)
        .distinct()
    )
    unit_ids = sorted(set(changed))
    if unit_ids:
        rebuild(unit_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_figurecount_from_stats"),
        ("stats", "0003_figurecount_to_dossiers"),
    ]

    operations = [migrations.RunPython(rebuild_changed_counters, migrations.RunPython.noop)]
