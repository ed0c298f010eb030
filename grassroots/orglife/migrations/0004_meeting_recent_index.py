from django.db import migrations, models


class Migration(migrations.Migration):
    """The meeting list's order (newest first) from an index: a city's first page no longer sorts every meeting."""

    dependencies = [
        ("orglife", "0003_attachment"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["starts_at", "id"], name="orglife_meeting_recent_idx"),
        ),
    ]
