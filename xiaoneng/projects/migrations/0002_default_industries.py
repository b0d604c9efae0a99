from django.db import migrations

from xiaoneng.projects.models import DEFAULT_INDUSTRIES


def seed(apps, schema_editor):
    Industry = apps.get_model("projects", "Industry")
    existing = set(Industry.objects.values_list("name", flat=True))
    Industry.objects.bulk_create(
        Industry(name=name, aliases=aliases, sort=i)
        for i, (name, aliases) in enumerate(DEFAULT_INDUSTRIES)
        if name not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
