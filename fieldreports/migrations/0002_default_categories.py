from typing import Any

from django.db import migrations

from fieldreports.defaults import seed


def add_defaults(apps: Any, schema_editor: Any) -> None:
    seed(apps.get_model("fieldreports", "Category"))


class Migration(migrations.Migration):
    dependencies = [("fieldreports", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
