from typing import Any

from django.db import migrations

from notify.defaults import seed


def add_defaults(apps: Any, schema_editor: Any) -> None:
    # The text of "supplement": the complete dossier is back in processing, with its new
    # appointment (seed adds only what is missing; the transfer text keeps what was seeded).
    seed(apps.get_model("notify", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_routing_templates")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
