# The report counters move from the stats app to the dossiers app (issue 10: dossiers keep them
# in the transaction that changes a dossier, and stats only reads them, so the two apps no
# longer import each other). The table keeps its name; only Django's state moves.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_english_verbose_names"),
        ("dossiers", "0006_received_when_processed"),
        ("orgs", "0002_english_verbose_names"),
        ("stats", "0002_figure_counts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="FigureCount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("grain", models.CharField(choices=[("d", "Day"), ("m", "Month"), ("y", "Year")], max_length=1)),
                        ("bucket", models.DateField()),
                        ("received_online", models.IntegerField(default=0)),
                        ("received_desk_post", models.IntegerField(default=0)),
                        ("finished_early", models.IntegerField(default=0)),
                        ("finished_on_time", models.IntegerField(default=0)),
                        ("finished_late", models.IntegerField(default=0)),
                        ("finished_unjudged", models.IntegerField(default=0)),
                        ("overdue_from", models.IntegerField(default=0)),
                        ("overdue_until", models.IntegerField(default=0)),
                        ("competent_unit", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.unit")),
                        ("procedure", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="catalog.procedure")),
                    ],
                    options={
                        "verbose_name": "figure counters",
                        "verbose_name_plural": "figure counters",
                        "db_table": "stats_figurecount",
                        "constraints": [models.UniqueConstraint(fields=("competent_unit", "grain", "bucket", "procedure"), name="figure_unique")],
                    },
                ),
            ],
        ),
    ]
