from django.db import migrations


def flags_and_counters(apps, schema_editor):
    # The digitisation flags start False on every dossier: set them from the files already
    # attached and the results already signed, and recount the units whose flags moved (the
    # same code as `manage.py rebuild_figures`, as 0002 and 0004 do; ADR 16).
    from documents.digitization import refresh  # noqa: PLC0415 - the live definition, like 0004

    refresh()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0013_digitisation"),
        ("documents", "0004_book_job_attempt"),
        ("stats", "0004_overdue_from_the_due_instant"),
    ]

    operations = [migrations.RunPython(flags_and_counters, migrations.RunPython.noop)]
