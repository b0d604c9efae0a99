"""One declaration per ledger (ledgers.PROJECTS, ledgers.REPORTS): the template, the import,
the export and the edit forms come from it, and the form and the import refuse alike."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from xiaoneng.conftest import make_user
from xiaoneng.core.forms import date_window
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import services
from xiaoneng.projects.forms import MonthlyReportForm, ProjectForm
from xiaoneng.projects.ledgers import PROJECTS, REPORTS
from xiaoneng.projects.models import MonthlyReport, Project

from .conftest import HEADERS, ledger_row, xlsx


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_the_templates_are_the_declared_columns_with_their_notes(client_for, province_supervisor):
    client = client_for(province_supervisor)
    sheet = _sheet(client.get("/projects/import/template.xlsx").content)
    assert [c.value for c in sheet[1]] == [
        "项目编号", "项目名称", "州市", "县市区", "行业类别", "总投资(万元)", "年度计划投资(万元)",
        "计划开工时间", "实际开工时间", "是否入库", "入库时间", "累计完成投资(万元)", "项目业主",
        "包保领导", "是否民间投资", "是否重中之重",
    ]  # fmt: skip
    assert sheet["A1"].comment.text == "必填，唯一；再次导入时按编号更新"
    assert sheet["M1"].comment is None  # 项目业主: no note
    assert sheet.title == "项目台账"
    # The monthly sheet: the report columns, with the project's name and its figure so far
    # for reference (test_report_sheet.py fills and imports it).
    sheet = _sheet(client.get("/projects/reports/template.xlsx").content)
    headers = [c.value for c in sheet[1]]
    assert [h for h in headers if h not in ("项目名称", "上月本年累计(万元)")] == REPORTS.headers()
    assert sheet.title == "月度调度"


def test_an_exported_list_imports_back_with_no_change(
    make_project, county_a, client_for, province_supervisor
):
    make_project("X1", county=county_a, actual_start=dt.date(2022, 3, 15), in_stats=True,
                 in_stats_on=dt.date(2022, 4, 1), planned_start=dt.date(2022, 3, 1),
                 completed_ytd=Decimal("120.50"), owner="=SUM(A1)", private_investment=True,
                 top_priority=True, status="in_stats")  # fmt: skip
    # A prefecture's own project, no dates, never given a completed investment (imported
    # from a ledger without the column): its exported 0 records nothing either.
    make_project("X2", leader_in_charge="李四")
    client = client_for(province_supervisor)
    content = client.get("/projects/list/export.xlsx?warning=").content
    sheet = _sheet(content)
    assert [c.value for c in sheet[1]] == PROJECTS.headers()
    assert "是否民间投资" in PROJECTS.headers() and "预警" in PROJECTS.headers()
    before = Project.objects.count(), MonthlyReport.all_objects.count()
    result = services.import_projects(content, batch="2022Q2", actor=SYSTEM)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    # The export's own columns that are not the ledger's are named, as any unknown column.
    assert result.warnings == ["已忽略未知列“批次”", "已忽略未知列“状态”", "已忽略未知列“预警”"]
    assert (Project.objects.count(), MonthlyReport.all_objects.count()) == before


def test_the_edit_form_is_the_ledgers_columns(project_form_args):
    form = ProjectForm(**project_form_args)
    ledger_keys = PROJECTS.updatable()
    assert list(form.fields) == [*ledger_keys, "status", "version"]
    for key in ledger_keys:
        assert form.fields[key].label == PROJECTS.by_key[key].header
        assert form.fields[key].required == PROJECTS.by_key[key].required
    assert list(MonthlyReportForm().fields) == [c.key for c in REPORTS if c.key != "code"]


@pytest.fixture
def project_form_args(make_project, county_a, admin_a):
    project = make_project("F1", county=county_a)
    return {"project": project, "actor": admin_a, "with_completed": True}


@pytest.mark.parametrize(
    "column, typed",
    [("total_investment", "12.345"), ("annual_plan", "-5"), ("planned_start", "明年"),
     ("actual_start", "2022-02-30"), ("name", "长" * 201)],
)  # fmt: skip
def test_the_form_and_the_import_refuse_a_value_in_the_same_words(
    project_form_args, batch, column, typed
):
    project = project_form_args["project"]
    data = {"name": project.name, "prefecture": project.prefecture_id,
            "county": project.county_id, "industry": project.industry_id,
            "total_investment": "1000", "status": project.status, column: typed}  # fmt: skip
    form = ProjectForm(data, **project_form_args)
    assert not form.is_valid()
    header = PROJECTS.by_key[column].header
    row = ledger_row("F2", **({header: typed} if header in HEADERS else {}))
    if column == "name":
        row[1] = typed
    with pytest.raises(ImportFailed) as info:
        services.import_projects(xlsx(HEADERS, [row]), batch=batch, actor=SYSTEM)
    (error,) = info.value.errors
    assert error.column == header
    if column == "name":  # the form's text maximum is every form's (core.forms)
        assert form.errors[column] == ["内容过长：最多 200 个字符（现有 201 个）"]
        assert error.message == "超过 200 个字"
    else:
        assert form.errors[column] == [error.message]


def test_a_date_cell_outside_the_window_is_refused_as_a_typed_one(batch, county_a):
    """The import read date cells without the window that typed dates and the form have."""
    too_early = dt.datetime(1999, 12, 31)
    rows = [
        ledger_row("W1", **{"实际开工时间": too_early}),
        ledger_row("W2", **{"实际开工时间": "1999-12-31"}),
    ]
    with pytest.raises(ImportFailed) as info:
        services.import_projects(xlsx(HEADERS, rows), batch=batch, actor=SYSTEM)
    assert [(e.row, e.column, e.value) for e in info.value.errors] == [
        (2, "实际开工时间", "1999-12-31"),
        (3, "实际开工时间", "1999-12-31"),
    ]
    assert info.value.errors[0].message == info.value.errors[1].message
    assert info.value.errors[0].message.startswith("日期超出范围：应在 2000-01-01 至")


@pytest.fixture
def reporter(county_a):
    return make_user("xs_tb", county_a, "reporter", name="吴填报")


def test_the_report_form_and_import_read_and_refuse_alike(make_project, county_a, reporter):
    project = make_project("R1", county=county_a, actual_start=dt.date(2022, 1, 10))
    today = dt.date(2022, 9, 20)
    # Money with a thousands separator, the year as Excel keeps it: both read them.
    form = MonthlyReportForm({"year": "2022", "month": "6", "completed_this_month": "1,000",
                              "completed_ytd": ""})  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["completed_this_month"] == Decimal("1000.00")
    assert (form.cleaned_data["year"], form.cleaned_data["progress"]) == (2022, "")
    # A year before the window of every date: services.check_report, for both.
    with pytest.raises(Exception) as refused:
        services.save_report(project, actor=reporter, year=1999, month=6,
                             completed_this_month=Decimal(1), today=today)  # fmt: skip
    assert refused.value.message_dict == {"year": [f"年份不能早于 {date_window()[0].year} 年"]}
    rows = [["R1", 1999, 6, 1, None, "", ""]]
    with pytest.raises(ImportFailed) as info:
        services.import_reports(xlsx(REPORTS.headers(), rows), actor=reporter, today=today)
    assert [(e.column, e.message) for e in info.value.errors] == [
        ("年份", f"年份不能早于 {date_window()[0].year} 年")
    ]


def test_the_report_texts_have_every_forms_maximum(make_project, county_a, reporter, settings):
    """形象进度 was 2,000 characters in the import and settings.TEXT_MAX_CHARS in the form."""
    settings.TEXT_MAX_CHARS = 3000
    make_project("R1", county=county_a, actual_start=dt.date(2022, 1, 10))
    today = dt.date(2022, 9, 20)
    rows = [["R1", 2022, 6, 1, None, "进" * 2500, ""]]
    assert services.import_reports(xlsx(REPORTS.headers(), rows), actor=reporter, today=today)
    rows = [["R1", 2022, 7, 1, None, "进" * 3001, ""]]
    with pytest.raises(ImportFailed) as info:
        services.import_reports(xlsx(REPORTS.headers(), rows), actor=reporter, today=today)
    (error,) = info.value.errors
    assert (error.column, error.message) == ("形象进度", "超过 3000 个字")
    form = MonthlyReportForm({"year": "2022", "month": "7", "completed_this_month": "1",
                              "progress": "进" * 3001})  # fmt: skip
    assert form.errors["progress"] == ["内容过长：最多 3000 个字符（现有 3001 个）"]
