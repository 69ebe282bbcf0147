from typing import Any

from django.db import migrations

from notify.defaults import seed


def add_defaults(apps: Any, schema_editor: Any) -> None:
    # The texts of transfer, transferred_in and close_unanswered (seed adds only what is missing).
    seed(apps.get_model("notify", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_default_templates")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
