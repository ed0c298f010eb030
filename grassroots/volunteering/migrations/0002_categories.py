"""The service categories most cities' 双报到 notices list (data: they may be renamed or added to on the admin)."""

from django.db import migrations

CATEGORIES = [
    "政策宣传", "环境整治", "治安巡逻", "文明创建", "扶老助残", "关爱未成年人", "法律服务", "医疗健康", "文体活动", "应急处置", "矛盾调解",
]


def add(apps, schema_editor):
    ServiceCategory = apps.get_model("volunteering", "ServiceCategory")
    for i, name in enumerate(CATEGORIES, 1):
        ServiceCategory.objects.get_or_create(name=name, defaults={"order": i})


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
