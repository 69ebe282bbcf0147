# The report counters now belong to the dossiers app (dossiers 0007); the table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_figurecount_from_stats"),
        ("stats", "0002_figure_counts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="FigureCount")],
        ),
    ]
