from typing import Any

from django.db import migrations

from notify.defaults import seed


def add_defaults(apps: Any, schema_editor: Any) -> None:
    # The texts of the field reports' warnings (fieldreports.warnings).
    seed(apps.get_model("notify", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notify", "0004_supplement_template")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
