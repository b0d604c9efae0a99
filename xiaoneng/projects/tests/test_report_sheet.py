"""The 月度调度表 a reporter downloads comes filled with the projects that owe last month's
report (code, name, month, this year's figure so far); typed in and uploaded, it imports —
a real .xlsx through the real pages, rows left blank passed over."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import services
from xiaoneng.projects.models import MonthlyReport, Status

TODAY = dt.date(2022, 9, 20)  # last month: August 2022, due by 10 September


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def reporter(county_a):
    return make_user("xs_tb", county_a, "reporter", name="吴填报")


@pytest.fixture
def owing(make_project, county_a, county_b):
    """R1 and R2 owe August; the others do not, or are not the reporter's."""
    started = dt.date(2022, 6, 8)
    r1 = make_project("R1", county=county_a, actual_start=started, name="西山区物流园项目")
    services.save_report(r1, actor=SYSTEM, year=2022, month=7, completed_ytd=Decimal("150"),
                         today=TODAY)  # fmt: skip
    r2 = make_project("R2", county=county_a, actual_start=started)
    make_project("R3", county=county_a)  # not started: nothing to report
    make_project("R4", county=county_b, actual_start=started)  # another county's
    make_project("R5", county=county_a, actual_start=started, status=Status.COMPLETED)
    r6 = make_project("R6", county=county_a, actual_start=started)
    services.save_report(r6, actor=SYSTEM, year=2022, month=8, completed_ytd=Decimal("10"),
                         today=TODAY)  # fmt: skip
    return r1, r2


def _rows(content: bytes) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:]


def test_the_sheet_lists_the_reporters_projects_that_owe_the_month(owing, reporter, client_for):
    response = client_for(reporter).get("/projects/reports/template.xlsx")
    assert response.status_code == 200
    assert "2022%E5%B9%B48%E6%9C%88" in response["Content-Disposition"]  # 2022年8月
    headers, rows = _rows(response.content)
    assert headers[:5] == ["项目编号", "项目名称", "年份", "月份", "上月本年累计(万元)"]
    assert [row[:5] for row in rows] == [
        ["R1", "西山区物流园项目", 2022, 8, 150],
        ["R2", "项目R2", 2022, 8, None],
    ]
    assert all(value is None for row in rows for value in row[5:])  # this month: to type


def test_the_filled_sheet_imports_and_blank_rows_are_passed_over(owing, reporter, client_for):
    r1, r2 = owing
    client = client_for(reporter)
    book = load_workbook(io.BytesIO(client.get("/projects/reports/template.xlsx").content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    this_month = headers.index("本月完成投资(万元)") + 1
    progress = headers.index("形象进度") + 1
    sheet.cell(row=2, column=this_month, value=30)  # R1 only; R2 left blank
    sheet.cell(row=2, column=progress, value="主体施工")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "月度调度表.xlsx"
    response = client.post("/projects/reports/import/", {"file": buffer}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已导入 1 个项目的月度调度表" in page and "R2" in page, page
    august = MonthlyReport.objects.get(project=r1, year=2022, month=8)
    assert (august.completed_this_month, august.completed_ytd) == (Decimal("30"), Decimal("180"))
    assert august.progress == "主体施工"
    assert not MonthlyReport.objects.filter(project=r2, month=8).exists()
    # The reference columns were read as nothing: no warning about unknown columns either.
    assert "未知列" not in page


def test_a_sheet_with_nothing_typed_imports_nothing_and_says_so(owing, reporter, client_for):
    client = client_for(reporter)
    content = client.get("/projects/reports/template.xlsx").content
    upload = io.BytesIO(content)
    upload.name = "月度调度表.xlsx"
    response = client.post("/projects/reports/import/", {"file": upload})
    assert response.status_code == 200
    assert "没有填写任何项目的本月数字" in response.content.decode()
    assert (
        not MonthlyReport.objects.filter(month=8, year=2022, is_opening=False)
        .exclude(project__code="R6")
        .exists()
    )


def test_the_import_page_names_the_month_and_its_deadline(owing, reporter, client_for):
    page = client_for(reporter).get("/projects/reports/import/").content.decode()
    assert "2022年8月月度调度表" in page
    assert re.search(r"有 2 个尚未报送，截止日期 9月10日", page), page


def test_who_may_not_report_gets_no_sheet(client_for, handler_a, batch):
    assert client_for(handler_a).get("/projects/reports/template.xlsx").status_code == 403
