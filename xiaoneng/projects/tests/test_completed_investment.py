"""Completed investment has one source, the monthly reports: the ledger's 累计完成投资 is
an opening report, so the dashboard's headline and the end of its trend line agree."""

from decimal import Decimal

from django.utils import timezone

from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import kpis, services
from xiaoneng.projects.models import MonthlyReport, Project

from .conftest import HEADERS, ledger_row, xlsx

D = Decimal


def _ledger(p1_completed):
    return xlsx(
        HEADERS,
        [
            ledger_row(
                "P1",
                **{
                    "实际开工时间": "2022-03-15",
                    "总投资(万元)": 100000,
                    "年度计划投资(万元)": 50000,
                    "累计完成投资(万元)": p1_completed,
                },
            ),
            ledger_row("P2", **{"实际开工时间": "2022-03-15", "总投资(万元)": 100000}),
        ],
    )


def _headline_and_trend_end(client, user):
    response = client(user).get("/projects/")
    context = response.context
    trend = context["trend"]
    return context["summary"]["completed_ytd"], trend[-1]["completed_cumulative"] if trend else 0


def test_the_headline_and_the_end_of_the_trend_are_the_same_number(
    batch, county_a, client_for, province_supervisor
):
    """The bug: a ledger figure of 12,000 and a report of 600 gave a headline of 12,600 and
    a trend line ending at 600."""
    services.import_projects(_ledger(12000), batch=batch, actor=SYSTEM)
    today = timezone.localdate()
    p2 = Project.objects.get(code="P2")
    services.save_report(
        p2, actor=SYSTEM, year=today.year, month=today.month, completed_this_month=D("600")
    )
    headline, trend_end = _headline_and_trend_end(client_for, province_supervisor)
    assert headline == trend_end == D("12600.00")
    opening = MonthlyReport.objects.get(project__code="P1")
    assert opening.is_opening and opening.completed_ytd == D("12000")
    assert (opening.year, opening.month) == (today.year, today.month)
    assert ChangeLog.objects.filter(action="import", object_id=str(opening.pk)).exists()

    # Re-importing the unchanged ledger changes nothing; a new figure moves the opening.
    again = services.import_projects(_ledger(12000), batch=batch, actor=SYSTEM)
    assert (again.updated, again.unchanged) == (0, 2)
    services.import_projects(_ledger(13000), batch=batch, actor=SYSTEM)
    assert MonthlyReport.objects.get(project__code="P1").completed_ytd == D("13000")
    assert _headline_and_trend_end(client_for, province_supervisor) == (D("13600"), D("13600"))


def test_the_first_report_replaces_the_opening_figure(batch, county_a):
    services.import_projects(_ledger(12000), batch=batch, actor=SYSTEM)
    p1 = Project.objects.get(code="P1")
    today = timezone.localdate()
    # A report of the year's first month is not checked against the ledger's figure.
    services.save_report(p1, actor=SYSTEM, year=today.year, month=1, completed_ytd=D("300"))
    p1.refresh_from_db()
    assert p1.completed_ytd == D("300")
    assert not MonthlyReport.objects.filter(project=p1, is_opening=True).exists()
    data = kpis.summary(Project.objects.all())
    _year, trend = kpis.monthly_trend(Project.objects.all(), data["year"])
    assert data["completed_ytd"] == trend[-1]["completed_cumulative"] == D("300")


def test_the_edit_form_figure_is_an_opening_report_too(batch, county_a):
    services.import_projects(_ledger(0), batch=batch, actor=SYSTEM)
    p1 = Project.objects.get(code="P1")
    assert not MonthlyReport.objects.exists()  # a zero needs no report
    services.update_project(p1, actor=SYSTEM, completed_ytd=D("500"))
    assert MonthlyReport.objects.get(project=p1, is_opening=True).completed_ytd == D("500")
    data = kpis.summary(Project.objects.all())
    _year, trend = kpis.monthly_trend(Project.objects.all(), data["year"])
    assert data["completed_ytd"] == trend[-1]["completed_cumulative"] == D("500")
