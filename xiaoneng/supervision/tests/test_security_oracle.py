"""Issue 10, requirement 9: the items ledger answers a code, unit or person outside the
importer's scope with the same words as one that does not exist."""

import datetime as dt
import io

import openpyxl
import pytest

from xiaoneng.conftest import make_user
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.supervision import ledger

pytestmark = pytest.mark.django_db

IN_30_DAYS = (dt.date.today() + dt.timedelta(days=30)).isoformat()
HEADERS = ["编号", "类型", "标题", "牵头单位", "责任人用户名", "办理时限"]


def book(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def answers(actor, rows) -> list[tuple[str, str]]:
    """(column, message) of each error, the typed value taken out of the message."""
    with pytest.raises(ImportFailed) as info:
        ledger.import_items(book(rows), actor=actor)
    return [
        (e.column, e.message.replace(str(e.value or ""), "…") if e.value else e.message)
        for e in info.value.errors
    ]


def test_an_outsider_cannot_tell_county_as_items_units_or_people_from_made_up_ones(
    make_item, county_b, handler_a
):
    item = make_item()  # 西山区's, unseen by 五华区
    outsider = make_user("wh_xn", county_b, "supervisor")
    own = "530102"  # 五华区
    first, second = (
        answers(outsider, [[code, "问题", "标题", own, "", IN_30_DAYS]])
        for code in (item.code, "DB-2026-999999")
    )
    assert first == second == [("编号", "找不到该编号的事项（或无权查看）")]
    for real, made_up in (("530112", "539999"), ("西山区", "火星区")):
        first, second = (
            answers(outsider, [["", "问题", "标题", unit, "", IN_30_DAYS]])
            for unit in (real, made_up)
        )
        assert first == second == [("牵头单位", "找不到该单位，或不在本单位管辖范围内")]
    first, second = (
        answers(outsider, [["", "问题", "标题", own, person, IN_30_DAYS]])
        for person in (handler_a.username, "nobody")
    )
    assert first == second == [("责任人用户名", "五华区没有用户名或姓名为“…”的人员。")]
