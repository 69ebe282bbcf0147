"""Each procedure version's legacy fee and charge become one fee line each (due before the
result is returned, which is what the desk did until now)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    version_model = apps.get_model("catalog", "ProcedureVersion")
    line_model = apps.get_model("payments", "FeeLine")
    lines = []
    for v in version_model.objects.all().only("pk", "fee_vnd", "charge_vnd"):
        if v.fee_vnd:
            lines.append(line_model(version_id=v.pk, position=1, kind="fee", label="Phí", amount_vnd=v.fee_vnd))
        if v.charge_vnd:
            lines.append(
                line_model(version_id=v.pk, position=2, kind="charge", label="Lệ phí", amount_vnd=v.charge_vnd)
            )
    line_model.objects.bulk_create(lines, batch_size=500)


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("payments", "FeeLine").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("catalog", "0004_fold_procedure_names")]

    operations = [migrations.RunPython(seed, unseed)]
