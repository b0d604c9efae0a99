"""A monthly report used to set a project's status to 已开工 without an actual start date,
so the project failed its own check and the next import of the unchanged ledger reported a
change. The status now follows the typed facts (models.stage_of); this puts every stored
status other than 竣工/投产 back in line with them."""

from django.db import migrations

DONE = ("completed", "in_production")


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    open_projects = Project._base_manager.exclude(status__in=DONE)
    open_projects.filter(in_stats=True).exclude(status="in_stats").update(status="in_stats")
    open_projects.filter(in_stats=False, actual_start__isnull=False).exclude(
        status="started"
    ).update(status="started")
    open_projects.filter(in_stats=False, actual_start__isnull=True).exclude(
        status="not_started"
    ).update(status="not_started")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_import_job_batch_code")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
