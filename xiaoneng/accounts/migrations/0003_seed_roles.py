from django.db import migrations

ROLE_CODES = ["supervisor", "unit_admin", "handler", "leader", "reporter", "viewer", "resident"]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
