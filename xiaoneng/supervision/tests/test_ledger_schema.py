"""The items ledger is declared once (`ledgers.ITEMS`): the template, the import's headers,
the export and the columns a re-import may change all come from it."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from xiaoneng.supervision import ledger, services
from xiaoneng.supervision.ledgers import ITEMS
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.tests.test_ledger import sheet

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def test_the_template_is_the_imported_columns_with_their_notes(
    client_for, province_supervisor, county_a
):
    content = client_for(province_supervisor).get("/supervision/import/template/").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    header = book.active[1]
    assert [c.value for c in header] == [c.header for c in ITEMS.imported()]
    notes = {c.value: c.comment.text for c in header if c.comment}
    assert notes == {c.header: c.note for c in ITEMS.imported() if c.note}
    assert "状态" not in notes and "灯色" not in [c.value for c in header]
    # The template's example row imports as it stands.
    result = ledger.import_items(content, actor=province_supervisor)
    assert [i.title for i in result["created"]] == ["某街道农贸市场周边占道经营反复回潮"]


def test_the_export_has_every_column_formatted_by_its_declaration(
    make_item, client_for, province_supervisor, handler_a, county_b
):
    parent = make_item(title="上级事项")
    child = make_item(
        title="子事项",
        kind="problem",
        parent=parent,
        co_units=[county_b],
        responsible=handler_a,
        deadline=None,
        deadline_workdays=10,
        urgency="critical",
        standard="按期整改到位",
    )
    content = client_for(province_supervisor).get("/supervision/export/?kind=problem").content
    header, *rows = rows_of(content)
    assert header == ITEMS.headers()
    row = dict(zip(header, rows[0], strict=True))
    assert row["编号"] == child.code and row["类型"] == "问题" and row["状态"] == "已交办"
    assert (row["牵头单位"], row["配合单位"], row["责任人"]) == ("西山区", "五华区", "周承办")
    assert (row["时限(工作日)"], row["紧急程度"], row["上级事项"]) == (10, "特急", parent.code)
    assert row["办理时限"].date() == child.deadline and row["灯色"] in ("绿灯", "黄灯")
    assert row["完成标准及考核方式"] == "按期整改到位"


def test_a_re_import_may_change_the_updatable_columns_which_update_item_takes():
    assert tuple(ITEMS.updatable()) == services.EDITABLE
    assert "code" not in ITEMS.updatable()
    assert not {c.key for c in ITEMS if not c.imported} & set(ITEMS.headers_by_key())


def test_the_import_matches_every_declared_header_and_alias(province_supervisor, county_a):
    aliases = {"title": "事项名称", "lead_unit": "牵头单位编码", "deadline": "完成时限"}
    headers = [aliases[k] for k in ("title", "lead_unit", "deadline")]
    due = timezone.localdate() + dt.timedelta(days=20)
    result = ledger.import_items(
        sheet(headers, [["别名表头", "530112", due.isoformat()]]), actor=province_supervisor
    )
    item = result["created"][0]
    assert (item.title, item.lead_unit, item.deadline) == ("别名表头", county_a, due)
    for key, alias in aliases.items():
        assert alias in ITEMS.by_key[key].aliases


def test_an_exported_row_with_its_date_edited_moves_a_workday_deadline_to_that_date(
    make_item, client_for, province_supervisor
):
    item = make_item(deadline=None, deadline_workdays=10)
    content = client_for(province_supervisor).get("/supervision/export/").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    column = ITEMS.headers().index("办理时限") + 1
    new = timezone.localdate() + dt.timedelta(days=90)
    book.active.cell(row=2, column=column, value=new)
    buffer = io.BytesIO()
    book.save(buffer)
    result = ledger.import_items(buffer.getvalue(), actor=province_supervisor)
    assert [i.pk for i in result["updated"]] == [item.pk]
    item = Item.objects.get(pk=item.pk)
    assert (item.deadline, item.deadline_basis, item.deadline_count) == (new, "date", None)
