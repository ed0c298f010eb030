"""The 限期整改's link to rectification.Case, an integer until that model was committed, becomes a foreign key.
Links to cases that do not exist (none should) are cleared first so the constraint can be added."""

import django.db.models.deletion
from django.db import migrations, models


def clear_dangling(apps, schema_editor):
    Intervention = apps.get_model("supervision", "Intervention")
    Case = apps.get_model("rectification", "Case")
    linked = Intervention.objects.exclude(rectification_case_id__isnull=True)
    linked.exclude(rectification_case_id__in=Case.objects.values("pk")).update(rectification_case_id=None)


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0001_initial"),
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_dangling, migrations.RunPython.noop),
        migrations.RenameField(model_name="intervention", old_name="rectification_case_id", new_name="rectification_case"),
        migrations.AlterField(
            model_name="intervention",
            name="rectification_case",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="supervision_orders",
                                    to="rectification.case", verbose_name="整顿台账"),
        ),
    ]
