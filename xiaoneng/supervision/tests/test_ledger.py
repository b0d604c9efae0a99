import datetime as dt
import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.supervision import ledger
from xiaoneng.supervision.models import Item

pytestmark = pytest.mark.django_db

# Deadlines in the future whenever the tests run (an assignment date defaults to today).
IN_30_DAYS = (dt.date.today() + dt.timedelta(days=30)).isoformat()
HEADERS = ["编号", "类型", "标题", "来源", "牵头单位", "办理时限", "时限(工作日)", "紧急程度"]


def book(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "督办事项"
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_it_imports_nothing_when_three_rows_are_bad(province_supervisor, county_a):
    data = book(
        [
            ["", "问题", "好的一行", "暗访", "530112", IN_30_DAYS, None, "紧急"],
            ["", "问题", "", "暗访", "530112", IN_30_DAYS, None, "一般"],  # row 3: no title
            ["", "任务", "类型错", "暗访", "530112", IN_30_DAYS, None, "一般"],  # row 4
            ["", "问题", "另一行好的", "会议决定", "西山区", None, 10, "一般"],
            ["", "问题", "单位不存在", "暗访", "999999", IN_30_DAYS, None, "一般"],  # row 6
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor, file_label="台账.xlsx")
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [
        ("督办事项", 3, "标题"),
        ("督办事项", 4, "类型"),
        ("督办事项", 6, "牵头单位"),
    ]
    assert Item.objects.count() == 0


def test_it_updates_rows_that_carry_a_code_instead_of_duplicating(province_supervisor, county_a):
    first = ledger.import_items(
        book([["", "问题", "农贸市场占道", "暗访", "530112", None, 10, "一般"]]),
        actor=province_supervisor,
    )
    item = first["created"][0]
    assert item.deadline_basis == "workdays"
    again = ledger.import_items(
        book([[item.code, "问题", "农贸市场占道经营", "暗访", "530112", IN_30_DAYS, None, "特急"]]),
        actor=province_supervisor,
    )
    assert len(again["updated"]) == 1 and not again["created"]
    item.refresh_from_db()
    assert (Item.objects.count(), item.title, item.urgency) == (1, "农贸市场占道经营", "critical")


def test_the_outsider_cannot_import_into_another_county(handler_b, county_a):
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(
            book([["", "问题", "越权", "暗访", "530112", IN_30_DAYS, None, "一般"]]),
            actor=handler_b,
        )
    assert exc.value.errors[0].row == 2


def test_it_exports_the_filtered_list_and_serves_the_template(
    make_item, client_for, province_supervisor
):
    make_item(title="甲事项", kind="problem")
    make_item(title="乙事项", kind="task")
    c = client_for(province_supervisor)
    r = c.get("/supervision/export/?kind=problem")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "编号" and [row[2] for row in rows[1:]] == ["甲事项"]
    t = c.get("/supervision/import/template/")
    header = (
        CalamineWorkbook.from_filelike(io.BytesIO(t.content)).get_sheet_by_index(0).to_python()[0]
    )
    assert "牵头单位" in header and "时限(工作日)" in header


def test_the_import_page_reports_errors(client_for, province_supervisor, county_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = book([["", "问题", "", "暗访", "530112", IN_30_DAYS, None, "一般"]])
    r = client_for(province_supervisor).post(
        "/supervision/import/", {"file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert "第 2 行" in r.content.decode()


# --- reading rows: people, numbers, dates, one complete report ------------------------------

FULL = ["编号", "类型", "标题", "牵头单位", "配合单位", "责任人用户名", "交办日期", "办理时限"]


def sheet(headers, rows) -> bytes:
    """An .xlsx written by openpyxl, as a user's Excel would save it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "督办事项"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_responsible_person_must_belong_to_the_lead_unit(
    province_supervisor, county_a, handler_a, handler_b, django_capture_on_commit_callbacks
):
    from xiaoneng.conftest import make_unit, make_user
    from xiaoneng.notifications.models import Notification
    from xiaoneng.units.models import Level

    town = make_unit("530112001", "马街街道", Level.TOWNSHIP, county_a)
    make_user("mj_cb", town, "handler", name="马街承办")
    data = sheet(
        FULL,
        [
            ["", "问题", "外县的人", "530112", None, "wh_cb", "2026-11-02", "2026-12-31"],
            ["", "问题", "下级单位的人", "530112", None, "mj_cb", "2026-11-02", "2026-12-31"],
            ["", "问题", "本单位的人", "530112", None, "xs_cb", "2026-11-02", "2026-12-31"],
        ],
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor)
    assert [(e.sheet, e.row, e.column, e.value) for e in exc.value.errors] == [
        ("督办事项", 2, "责任人用户名", "wh_cb"),
        ("督办事项", 3, "责任人用户名", "mj_cb"),
    ]
    assert "西山区" in exc.value.errors[0].message
    assert Item.objects.count() == 0
    assert not Notification.objects.filter(recipient=handler_b).exists()


def test_the_responsible_person_may_be_named_by_display_name(province_supervisor, handler_a):
    result = ledger.import_items(
        sheet(FULL, [["", "问题", "按姓名", "530112", None, "周承办", "2026-11-02", "2026-12-31"]]),
        actor=province_supervisor,
    )
    assert result["created"][0].responsible == handler_a


def test_it_reads_codes_and_usernames_typed_as_numbers(province_supervisor, county_a, county_b):
    from xiaoneng.conftest import make_user

    person = make_user("13800001111", county_a, "handler", name="数字账号")
    result = ledger.import_items(
        sheet(
            FULL, [["", "问题", "数字单元格", 530112.0, 530102.0, 13800001111.0, None, IN_30_DAYS]]
        ),
        actor=province_supervisor,
    )
    item = result["created"][0]
    assert (item.lead_unit, list(item.co_units.all()), item.responsible) == (
        county_a,
        [county_b],
        person,
    )


def test_every_error_of_the_file_is_reported_at_once_with_its_column(province_supervisor, county_a):
    data = sheet(
        FULL,
        [
            ["", "问题", "时限早于交办", "530112", None, None, "2026-12-01", "2026-11-30"],
            ["", "问题", "甲" * 201, "530112", None, None, None, IN_30_DAYS],
            ["", "问题", "单位不存在", "999999", None, None, None, IN_30_DAYS],
        ],
    )
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor)
    assert [(e.row, e.column) for e in exc.value.errors] == [
        (2, "办理时限"),
        (3, "标题"),
        (4, "牵头单位"),
    ]
    assert str(exc.value.errors[0]).startswith("工作表“督办事项”第 2 行“办理时限”列")
    assert all(e.sheet == "督办事项" and e.column and e.message for e in exc.value.errors)
    assert Item.objects.count() == 0


def test_it_reads_dates_as_people_write_them(province_supervisor, county_a):
    rows = [
        ["", "问题", "中文日期", "530112", None, None, "2026年11月2日", "2026年12月1日"],
        ["", "问题", "斜杠", "530112", None, None, "2026/11/2", "2026/12/1"],
        ["", "问题", "点号", "530112", None, None, "2026.11.02", "2026.12.01"],
        ["", "问题", "横线", "530112", None, None, "2026-11-02", "2026-12-01"],
        ["", "问题", "数字", "530112", None, None, 20261102, 20261201],
        [
            "",
            "问题",
            "日期单元格",
            "530112",
            None,
            None,
            dt.date(2026, 11, 2),
            dt.date(2026, 12, 1),
        ],
    ]
    result = ledger.import_items(sheet(FULL, rows), actor=province_supervisor)
    assert {(i.assigned_on, i.deadline) for i in result["created"]} == {
        (dt.date(2026, 11, 2), dt.date(2026, 12, 1))
    }
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(
            sheet(FULL, [["", "问题", "只写到月", "530112", None, None, None, "2026年12月"]]),
            actor=province_supervisor,
        )
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "办理时限")]


def test_a_unit_name_two_units_share_is_refused_rather_than_guessed(
    province_supervisor, county_a, county_b
):
    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Kind, Level

    make_unit("530112-CZ", "财政局", Level.COUNTY, county_a, kind=Kind.DEPARTMENT)
    make_unit("530102-CZ", "财政局", Level.COUNTY, county_b, kind=Kind.DEPARTMENT)
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(
            sheet(FULL, [["", "问题", "同名单位", "财政局", None, None, None, IN_30_DAYS]]),
            actor=province_supervisor,
        )
    assert [(e.row, e.column, e.value) for e in exc.value.errors] == [(2, "牵头单位", "财政局")]
    assert "请填写单位编码" in exc.value.errors[0].message


def test_an_export_with_an_invalid_filter_exports_nothing(
    make_item, client_for, province_supervisor, county_b
):
    make_item(title="甲事项", kind="problem")
    c = client_for(province_supervisor)
    r = c.get("/supervision/export/?kind=problem&deadline_from=2026-13-45", follow=True)
    page = r.content.decode()
    assert r.redirect_chain and r["Content-Type"].startswith("text/html")
    assert "筛选条件有误，未导出" in page and "甲事项" in page


def test_a_file_that_is_not_a_spreadsheet_is_named_without_a_row_or_library_text(
    province_supervisor,
):

    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(
            b"%PDF-1.7 not a sheet", actor=province_supervisor, file_label="通知.xlsx"
        )
    assert [str(e) for e in exc.value.errors] == [
        "文件“通知.xlsx”：无法读取该文件，请上传 .xlsx 文件"
    ]
