"""Completed investment has one source, the monthly reports: a project's ledger figure
(累计完成投资 imported or typed before any report) becomes its opening report, in the month
it was last written (December when that was in a later year)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    MonthlyReport = apps.get_model("projects", "MonthlyReport")
    reported = MonthlyReport._base_manager.filter(deleted_at__isnull=True).values("project_id")
    projects = (
        Project._base_manager.filter(completed_year__isnull=False, completed_ytd__gt=0)
        .exclude(pk__in=reported)
        .only("pk", "completed_ytd", "completed_year", "updated_at")
    )
    for project in projects.iterator(chunk_size=2000):
        written = timezone.localtime(project.updated_at).date()
        month = written.month if written.year == project.completed_year else 12
        row = MonthlyReport._base_manager.filter(
            project_id=project.pk, year=project.completed_year, month=month
        ).first() or MonthlyReport(project_id=project.pk, year=project.completed_year, month=month)
        row.completed_this_month = row.completed_ytd = project.completed_ytd
        row.is_opening = True
        row.is_late = False
        row.deleted_at = None
        row.save()


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_monthly_report_is_opening")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
