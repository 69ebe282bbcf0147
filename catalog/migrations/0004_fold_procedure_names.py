"""Fill Procedure.name_folded for the procedures that existed before the column."""

from django.db import migrations

from lib.text import fold


def fold_names(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    rows = list(Procedure.objects.only("pk", "name"))
    for p in rows:
        p.name_folded = fold(p.name)
    Procedure.objects.bulk_update(rows, ["name_folded"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_public_catalogue'),
    ]

    operations = [
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
