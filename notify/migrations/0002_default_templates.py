from typing import Any

from django.db import migrations

from notify.defaults import seed


def add_defaults(apps: Any, schema_editor: Any) -> None:
    seed(apps.get_model("notify", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
