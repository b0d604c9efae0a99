"""URL samples for the project-wide URL walk: county A objects carrying the marker."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, ImportJob, Industry, MonthlyReport, Project
from xiaoneng.projects.services import ensure_default_industries


def samples(ctx) -> dict:
    batch = Batch.objects.filter(code="2022Q2").first() or Batch.objects.create(
        code="2022Q2", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM
    )
    ensure_default_industries(actor=SYSTEM)
    industry = Industry.objects.get(name="交通")
    project = Project.objects.create(
        code="URL-1",
        name=f"{ctx['marker']}项目",
        batch=batch,
        prefecture=ctx["county_a"].parent,
        county=ctx["county_a"],
        industry=industry,
        total_investment=Decimal("1000"),
        annual_plan=Decimal("100"),
        actual_start=dt.date(2022, 6, 8),
        actor=SYSTEM,
    )
    MonthlyReport.objects.create(
        project=project, year=2022, month=6, completed_this_month=Decimal("10"),
        completed_ytd=Decimal("10"), progress=f"{ctx['marker']}进度", actor=SYSTEM,
    )  # fmt: skip
    job = ImportJob(batch=batch, created_by=ctx["supervisor"], file_name=f"{ctx['marker']}.xlsx")
    job.file.save("url-sample.xlsx", ContentFile(b"x"), save=False)
    job.errors = [{"row": 2, "column": "项目名称", "value": ctx["marker"], "message": "x"}]
    job.save(actor=ctx["supervisor"])
    ctx["project"] = project
    return {
        "projects:project_detail": {"pk": project.pk},
        "projects:project_edit": {"pk": project.pk},
        "projects:report_create": {"pk": project.pk},
        "projects:import_job": {"pk": job.pk},
        "projects:industry_edit": {"pk": industry.pk},
        "projects:batch_edit": {"pk": batch.pk},
        "api-project-detail": {"pk": project.pk},
        "api-project-reports": {"pk": project.pk},
    }
