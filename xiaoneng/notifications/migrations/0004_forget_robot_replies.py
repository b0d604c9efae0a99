"""Robot results used to keep the start of what the server answered (an internal service's
secret, when a robot pointed at one). Only fixed reasons are kept now; the old texts go."""

from django.db import migrations


def forget(apps, schema_editor):
    apps.get_model("notifications", "WebhookDelivery").objects.exclude(last_error="").update(
        last_error=""
    )
    apps.get_model("notifications", "Webhook").objects.exclude(last_status__in=["", "ok"]).update(
        last_status=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_email_delivery"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
