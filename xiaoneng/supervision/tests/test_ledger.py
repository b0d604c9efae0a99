import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.supervision import ledger
from xiaoneng.supervision.models import Item

pytestmark = pytest.mark.django_db

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
            ["", "问题", "好的一行", "暗访", "530112", "2026-12-31", None, "紧急"],
            ["", "问题", "", "暗访", "530112", "2026-12-31", None, "一般"],  # row 3: no title
            ["", "任务", "类型错", "暗访", "530112", "2026-12-31", None, "一般"],  # row 4
            ["", "问题", "另一行好的", "会议决定", "西山区", None, 10, "一般"],
            ["", "问题", "单位不存在", "暗访", "999999", "2026-12-31", None, "一般"],  # row 6
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
        book(
            [[item.code, "问题", "农贸市场占道经营", "暗访", "530112", "2026-12-30", None, "特急"]]
        ),
        actor=province_supervisor,
    )
    assert len(again["updated"]) == 1 and not again["created"]
    item.refresh_from_db()
    assert (Item.objects.count(), item.title, item.urgency) == (1, "农贸市场占道经营", "critical")


def test_the_outsider_cannot_import_into_another_county(handler_b, county_a):
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(
            book([["", "问题", "越权", "暗访", "530112", "2026-12-31", None, "一般"]]),
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

    data = book([["", "问题", "", "暗访", "530112", "2026-12-31", None, "一般"]])
    r = client_for(province_supervisor).post(
        "/supervision/import/", {"file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert "第 2 行" in r.content.decode()
