"""The items ledger, rows that carry a code: duplicates, updates and their trace, and an
exported list imported back."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import ledger, services
from xiaoneng.supervision.models import Item, ItemEvent
from xiaoneng.supervision.tests.test_ledger import FULL, sheet

pytestmark = pytest.mark.django_db


def test_the_same_code_twice_is_an_error_on_the_second_row(make_item, province_supervisor):
    item = make_item(title="原标题")
    data = sheet(
        FULL,
        [
            [item.code, "督办事项", "第一次", "530112", None, None, None, None],
            [item.code, "督办事项", "第二次", "530112", None, None, None, None],
        ],
    )
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor)
    assert [(e.row, e.column, e.value) for e in exc.value.errors] == [(3, "编号", item.code)]
    assert "与第 2 行的编号重复" in exc.value.errors[0].message
    item.refresh_from_db()
    assert item.title == "原标题"


def test_an_exported_list_imports_back_unchanged(
    make_item,
    client_for,
    province_supervisor,
    county_a,
    county_b,
    handler_a,
    django_capture_on_commit_callbacks,
):
    shown = [
        make_item(title="有责任人", kind="problem", responsible=handler_a),
        make_item(
            title="工作日时限",
            kind="problem",
            deadline=None,
            deadline_workdays=10,
            source="hotline",
        ),
        make_item(title="另一县", kind="problem", lead_unit=county_b),
        make_item(title="任务", kind="task"),
    ]
    closed = make_item(title="已办结", kind="problem", rectification="已整改")
    services.acknowledge(closed, actor=handler_a)
    services.report_progress(closed, actor=handler_a, percent=50, comment="过半")
    services.request_closure(closed, actor=handler_a, evidence="照片")
    services.approve(closed, actor=province_supervisor)
    before = {i.pk: i for i in Item.objects.all()}
    events = ItemEvent.objects.count()

    exported = client_for(province_supervisor).get(
        f"/supervision/export/?unit={county_a.pk}&kind=problem"
    )
    result = ledger.import_items(exported.content, actor=province_supervisor)
    assert (len(result["created"]), len(result["updated"]), len(result["unchanged"])) == (0, 0, 3)
    assert Item.objects.count() == len(before) and ItemEvent.objects.count() == events
    for item in Item.objects.all():
        old = before[item.pk]
        assert (item.title, item.deadline, item.deadline_basis, item.responsible_id) == (
            old.title,
            old.deadline,
            old.deadline_basis,
            old.responsible_id,
        )

    # The same file with one title edited updates that item, and only that one.
    wb = openpyxl.load_workbook(io.BytesIO(exported.content))
    ws = wb.active
    titles = [c.value for c in ws["C"]]
    ws.cell(row=titles.index("有责任人") + 1, column=3, value="有责任人（改）")
    buf = io.BytesIO()
    wb.save(buf)
    with django_capture_on_commit_callbacks(execute=True):
        result = ledger.import_items(buf.getvalue(), actor=province_supervisor)
    assert [i.pk for i in result["updated"]] == [shown[0].pk] and not result["created"]
    assert Item.objects.get(pk=shown[0].pk).title == "有责任人（改）"
    # The edit page's entry (services.update_item), the same whichever path changed it.
    event = ItemEvent.objects.get(item=shown[0], action="change")
    assert event.comment == "标题：“有责任人” → “有责任人（改）”"
    assert Notification.objects.filter(recipient=handler_a, verb="changed").exists()


def test_an_update_is_recorded_on_the_timeline_and_the_new_lead_unit_is_told(
    make_item,
    province_supervisor,
    county_b,
    handler_a,
    handler_b,
    django_capture_on_commit_callbacks,
):
    item = make_item(
        title="旧标题", deadline=timezone.localdate() + dt.timedelta(days=30), responsible=handler_a
    )
    new_deadline = timezone.localdate() + dt.timedelta(days=40)
    data = sheet(
        FULL,
        [[item.code, "督办事项", "新标题", "五华区", None, None, None, new_deadline.isoformat()]],
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = ledger.import_items(data, actor=province_supervisor, file_label="台账.xlsx")
    assert [i.pk for i in result["updated"]] == [item.pk]
    item.refresh_from_db()
    assert (item.title, item.deadline, item.lead_unit) == ("新标题", new_deadline, county_b)
    # 周承办 of 西山区 cannot follow the item to 五华区: no longer its responsible person.
    assert item.responsible is None
    event = ItemEvent.objects.filter(item=item, action="change").get()
    assert event.actor == province_supervisor
    for text in ("旧标题", "新标题", new_deadline.isoformat(), "西山区", "五华区", "周承办"):
        assert text in event.comment
    assert Notification.objects.filter(recipient=handler_b, verb="assigned").exists()
    # 西山区 may no longer open the item: it is not told about it any more.
    assert not Notification.objects.filter(recipient=handler_a, verb="changed").exists()


def test_items_awaiting_review_or_closed_are_not_changed_by_import(
    make_item, province_supervisor, handler_a
):
    waiting = make_item(title="待审核")
    services.acknowledge(waiting, actor=handler_a)
    services.report_progress(waiting, actor=handler_a, percent=80, comment="基本完成")
    services.request_closure(waiting, actor=handler_a, evidence="材料")
    closed = make_item(title="已办结")
    services.acknowledge(closed, actor=handler_a)
    services.report_progress(closed, actor=handler_a, percent=80, comment="基本完成")
    services.request_closure(closed, actor=handler_a, evidence="材料")
    services.approve(closed, actor=province_supervisor)
    data = sheet(
        FULL,
        [
            [waiting.code, "督办事项", "改标题", "530112", None, None, None, None],
            [closed.code, "督办事项", "改标题", "530112", None, None, None, None],
        ],
    )
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "编号"), (3, "编号")]
    assert "申请办结" in exc.value.errors[0].message and "已办结" in exc.value.errors[1].message
    assert set(Item.objects.values_list("title", flat=True)) == {"待审核", "已办结"}


def test_an_update_that_moves_the_assignment_date_past_the_deadline_names_the_column(
    make_item, province_supervisor
):
    item = make_item(deadline=timezone.localdate() + dt.timedelta(days=5))
    later = (timezone.localdate() + dt.timedelta(days=6)).isoformat()
    data = sheet(FULL, [[item.code, "督办事项", item.title, "530112", None, None, later, None]])
    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(data, actor=province_supervisor)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "交办日期")]


def test_checking_a_file_takes_the_same_queries_for_any_number_of_rows(
    make_item, province_supervisor, handler_a, county_b
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [make_item(title=f"事项{k}", responsible=handler_a) for k in range(6)]
    for item in items:
        item.co_units.set([county_b])
    rows = [[i.code, "督办事项", i.title, "西山区", "五华区", "周承办", None, None] for i in items]

    def queries(n):
        with CaptureQueriesContext(connection) as ctx:
            result = ledger.import_items(sheet(FULL, rows[:n]), actor=province_supervisor)
        assert len(result["unchanged"]) == n
        return len(ctx.captured_queries)

    assert queries(2) == queries(6)
