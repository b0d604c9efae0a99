"""Monthly reports: the form, the sheet, year to date rules, late and missing reports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoneng.conftest import make_user
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import alerts, services
from xiaoneng.projects.ledgers import REPORTS
from xiaoneng.projects.models import MonthlyReport, Project

from .conftest import xlsx

D = Decimal
TODAY = dt.date(2022, 9, 20)


@pytest.fixture
def reporter(county_a):
    return make_user("xs_tb", county_a, "reporter")


@pytest.fixture
def project(make_project, county_a):
    return make_project("R1", county=county_a, total_investment=D("1000"), annual_plan=D("600"),
                        actual_start=dt.date(2022, 6, 8))  # fmt: skip


def test_it_computes_year_to_date_and_keeps_the_project_figure(project, reporter):
    services.save_report(
        project, actor=reporter, year=2022, month=6, completed_this_month=D("100"), today=TODAY
    )
    services.save_report(
        project, actor=reporter, year=2022, month=7, completed_this_month=D("50"), today=TODAY
    )
    july = MonthlyReport.objects.get(project=project, month=7)
    assert july.completed_ytd == D("150.00")
    project.refresh_from_db()
    assert (project.completed_ytd, project.completed_year) == (D("150.00"), 2022)
    # Correcting an earlier month does not move the current figure back.
    services.save_report(project, actor=reporter, year=2022, month=6, completed_ytd=D("120"),
                         completed_this_month=D("120"), today=TODAY)  # fmt: skip
    project.refresh_from_db()
    assert project.completed_ytd == D("150.00")


def test_it_refuses_a_year_to_date_that_decreases_or_exceeds_the_total(project, reporter):
    services.save_report(
        project, actor=reporter, year=2022, month=6, completed_ytd=D("300"), today=TODAY
    )
    with pytest.raises(ValidationError) as info:
        services.save_report(
            project, actor=reporter, year=2022, month=7, completed_ytd=D("200"), today=TODAY
        )
    assert "不能小于" in str(info.value)
    with pytest.raises(ValidationError) as info:
        services.save_report(
            project, actor=reporter, year=2022, month=8, completed_ytd=D("1000.01"), today=TODAY
        )
    assert "不能大于总投资" in str(info.value)
    # A new year starts again from zero.
    services.save_report(project, actor=reporter, year=2023, month=1, completed_ytd=D("10"),
                         today=dt.date(2023, 2, 1))  # fmt: skip
    project.refresh_from_db()
    assert (project.completed_ytd, project.completed_year) == (D("10.00"), 2023)


def test_it_flags_late_reports(project, reporter, settings):
    settings.XIAONENG_PROJECTS_REPORT_DUE_DAY = 10
    on_time = services.save_report(project, actor=reporter, year=2022, month=8,
                                   completed_this_month=D("1"), today=dt.date(2022, 9, 10))  # fmt: skip
    late = services.save_report(project, actor=reporter, year=2022, month=7,
                                completed_this_month=D("0"), today=dt.date(2022, 9, 10))  # fmt: skip
    assert not on_time.is_late and late.is_late


def test_it_lists_projects_missing_their_report(project, reporter, settings):
    settings.XIAONENG_PROJECTS_REPORT_DUE_DAY = 10
    missing = lambda today: alerts.filter_level(Project.objects.all(), "missing", today).count()  # noqa: E731
    # On 2022-07-10 the June report is not yet due (due by 07-10); on 07-11 it is.
    assert missing(dt.date(2022, 7, 10)) == 0
    assert missing(dt.date(2022, 7, 11)) == 1
    services.save_report(project, actor=reporter, year=2022, month=6, completed_this_month=D("5"),
                         today=dt.date(2022, 7, 11))  # fmt: skip
    assert missing(dt.date(2022, 7, 11)) == 0
    assert missing(dt.date(2022, 8, 11)) == 1


def test_only_reporters_in_scope_may_report(project, county_b, handler_a):
    with pytest.raises(PermissionDenied):
        services.save_report(
            project, actor=handler_a, year=2022, month=6, completed_this_month=D("1"), today=TODAY
        )
    other = make_user("wh_tb", county_b, "reporter")
    with pytest.raises(PermissionDenied):
        services.save_report(
            project, actor=other, year=2022, month=6, completed_this_month=D("1"), today=TODAY
        )


def test_the_form_saves_a_report(project, reporter, client_for):
    client = client_for(reporter)
    data = {"year": 2022, "month": 6, "completed_this_month": "80", "progress": "主体施工"}
    response = client.post(f"/projects/{project.pk}/report/", {**data, "version": "0"})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(project=project).completed_ytd == D("80.00")
    response = client.post(
        f"/projects/{project.pk}/report/",
        {"year": 2022, "month": 7, "completed_ytd": "5000", "version": "0"},
    )
    assert response.status_code == 200
    assert "不能大于总投资" in response.content.decode()


def test_the_sheet_imports_many_months_all_or_nothing(project, make_project, county_a, reporter):
    other = make_project("R2", county=county_a, actual_start=dt.date(2022, 6, 1))
    rows = [
        ["R1", 2022, 7, 20, None, "进度7", ""],
        ["R1", 2022, 6, 10, None, "进度6", ""],
        ["R2", 2022, 6, None, 30, "", "缺资金"],
    ]
    assert (
        services.import_reports(xlsx(REPORTS.headers(), rows), actor=reporter, today=TODAY).count
        == 3
    )
    assert MonthlyReport.objects.get(project=project, month=7).completed_ytd == D("30.00")
    other.refresh_from_db()
    assert other.completed_ytd == D("30.00")
    bad = [["R1", 2022, 8, 5, None, "", ""], ["NOPE", 2022, 8, 1, None, "", ""]]
    with pytest.raises(ImportFailed) as info:
        services.import_reports(xlsx(REPORTS.headers(), bad), actor=reporter, today=TODAY)
    assert [e.row for e in info.value.errors] == [3]
    assert not MonthlyReport.objects.filter(month=8).exists()


def test_the_sheet_reports_every_error_in_one_pass(project, make_project, county_a, reporter):
    """A bad code on the first row used to stop the year-to-date checks of the others."""
    services.save_report(project, actor=reporter, year=2022, month=6, completed_ytd=D("100"),
                         today=TODAY)  # fmt: skip
    other = make_project("R2", county=county_a, actual_start=dt.date(2022, 6, 1))
    rows = [
        ["NOPE", 2022, 7, 1, None, "", ""],  # row 2: unknown code
        ["R1", 2022, 7, None, 80, "", ""],  # row 3: below June's 100
        ["R2", 2022, 6, None, 300, "", ""],  # row 4: fine
        ["R2", 2022, 7, None, 200, "", ""],  # row 5: below the sheet's own June (300)
        ["R2", 2022, 8, None, 2000, "", ""],  # row 6: above the total
        ["R1", 2022, "八", 5, None, "", ""],  # row 7: not a month
        ["R1", 2022, 10, 5, None, "", ""],  # row 8: a future month
    ]
    with pytest.raises(ImportFailed) as info:
        services.import_reports(xlsx(REPORTS.headers(), rows), actor=reporter, today=TODAY)
    errors = info.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (2, "项目编号"),
        (3, "本年累计完成投资(万元)"),
        (5, "本年累计完成投资(万元)"),
        (6, "本年累计完成投资(万元)"),
        (7, "月份"),
        (8, "月份"),
    ]
    assert "6 月的累计 100" in errors[1].message and "6 月的累计 300" in errors[2].message
    assert errors[4].value == "八"
    assert MonthlyReport.objects.count() == 1 and other.reports.count() == 0


def test_a_sheet_with_headers_only_says_so(reporter):
    with pytest.raises(ImportFailed) as info:
        services.import_reports(xlsx(REPORTS.headers(), []), actor=reporter, today=TODAY)
    assert "没有数据行" in info.value.errors[0].message
