"""services.update_item: the one way an item changes after it was assigned (the edit page,
the API and the ledger import)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import StaleEdit, version_of
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import ledger, services
from xiaoneng.supervision.lights import with_light
from xiaoneng.supervision.models import Item, ItemEvent
from xiaoneng.supervision.tests.test_ledger import FULL, sheet
from xiaoneng.supervision.workdays import add_workdays
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def change(item, actor, **values):
    return services.update_item(
        Item.objects.get(pk=item.pk), actor=actor, version=version_of(item), **values
    )


def events(item, action="change") -> list[str]:
    return list(
        ItemEvent.objects.filter(item=item, action=action).values_list("comment", flat=True)
    )


def test_it_moves_the_deadline_records_it_and_tells_the_lead_unit(
    make_item, province_supervisor, handler_a, django_capture_on_commit_callbacks
):
    item = make_item(deadline=days(30))
    with django_capture_on_commit_callbacks(execute=True):
        change(item, province_supervisor, deadline=days(45))
    item.refresh_from_db()
    assert (item.deadline, item.deadline_basis) == (days(45), "date")
    assert events(item) == [f"办理时限：{days(30).isoformat()} → {days(45).isoformat()}"]
    event = ItemEvent.objects.get(item=item, action="change")
    assert (event.actor, event.get_action_display()) == (province_supervisor, "修改")
    note = Notification.objects.get(recipient=handler_a, verb="changed")
    assert note.title == f"{item.code} {item.title}：办理时限已修改"
    log = ChangeLog.objects.filter(object_id=item.pk, action="update").order_by("id").last()
    assert (log.user, log.time) == (province_supervisor, item.updated_at)


def test_a_deadline_in_workdays_is_counted_from_the_assignment_date(make_item, province_supervisor):
    item = make_item(deadline=days(30))
    change(item, province_supervisor, deadline=item.deadline, deadline_workdays=10)
    item.refresh_from_db()
    due, provisional = add_workdays(item.assigned_on, 10)
    assert (item.deadline, item.deadline_basis, item.deadline_count) == (due, "workdays", 10)
    assert item.deadline_provisional == provisional
    assert events(item) == [f"办理时限：{days(30).isoformat()} → {due.isoformat()}（10 个工作日）"]

    # The assignment date moves a deadline counted in days with it.
    change(item, province_supervisor, assigned_on=item.assigned_on - dt.timedelta(days=7))
    item.refresh_from_db()
    assert item.deadline == add_workdays(item.assigned_on, 10)[0]


def test_of_a_date_and_workdays_the_one_that_differs_decides(make_item, province_supervisor):
    item = make_item(deadline=None, deadline_workdays=10)
    # As an exported row: the computed date and the count; only the date edited.
    change(item, province_supervisor, deadline=days(60), deadline_workdays=10)
    item.refresh_from_db()
    assert (item.deadline, item.deadline_basis, item.deadline_count) == (days(60), "date", None)
    with pytest.raises(ValidationError) as exc:
        change(item, province_supervisor, deadline=days(61), deadline_workdays=5)
    assert exc.value.message_dict == {"deadline": ["“办理时限”与“时限(工作日)”只能修改其中一项。"]}


def test_values_as_they_are_change_nothing_and_write_nothing(
    make_item, province_supervisor, handler_a, county_b
):
    item = make_item(responsible=handler_a, co_units=[county_b], description="第一行\n第二行")
    before = version_of(item)
    same = {key: getattr(item, key) for key in ("kind", "title", "source", "urgency", "tags")}
    change(
        item,
        province_supervisor,
        **same,
        description="第一行\r\n第二行 ",  # as a browser sends it
        lead_unit=item.lead_unit,
        co_units=[county_b],
        responsible=handler_a,
        deadline=item.deadline,
    )
    assert version_of(Item.objects.get(pk=item.pk)) == before
    assert events(item) == [] and not Notification.objects.filter(verb="changed").exists()


def test_the_lead_unit_moves_the_responsible_person_it_leaves_behind_is_cleared(
    make_item,
    province_supervisor,
    county_a,
    county_b,
    handler_a,
    handler_b,
    django_capture_on_commit_callbacks,
):
    item = make_item(responsible=handler_a, co_units=[county_b])
    with django_capture_on_commit_callbacks(execute=True):
        change(item, province_supervisor, lead_unit=county_b)
    item.refresh_from_db()
    assert (item.lead_unit, item.responsible, list(item.co_units.all())) == (county_b, None, [])
    assert events(item) == ["牵头单位：西山区 → 五华区；配合单位：五华区 → 无；责任人：周承办 → 无"]
    # The new lead unit hears of it as of a new item; the old one no longer sees it.
    assert Notification.objects.filter(recipient=handler_b, verb="assigned").exists()
    assert not Notification.objects.filter(recipient=handler_a, verb="changed").exists()


# --- refusals ------------------------------------------------------------------------------


def test_only_the_assigning_side_may_change_an_item(make_item, handler_a, handler_b):
    item = make_item()
    for person in (handler_a, handler_b):  # the lead unit's handler; an outsider
        with pytest.raises(PermissionDenied):
            change(item, person, title="改")
    assert Item.objects.get(pk=item.pk).title == item.title


def test_a_stale_version_is_refused_with_who_changed_what(make_item, province_supervisor):
    item = make_item(title="原标题")
    read_at = version_of(item)
    change(item, province_supervisor, title="他人改过")
    with pytest.raises(StaleEdit) as exc:
        services.update_item(item, actor=province_supervisor, version=read_at, title="我的修改")
    assert "已被他人修改" in exc.value.messages[0] and "他人改过" in exc.value.messages[0]
    assert Item.objects.get(pk=item.pk).title == "他人改过"


def test_a_closed_item_or_one_under_review_refuses_changes(
    make_item, province_supervisor, handler_a
):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=90, comment="基本完成")
    services.request_closure(item, actor=handler_a, evidence="材料")
    with pytest.raises(ValidationError, match="正在审核"):
        change(Item.objects.get(pk=item.pk), province_supervisor, title="改")
    services.approve(item, actor=province_supervisor)
    with pytest.raises(ValidationError, match="已办结"):
        change(Item.objects.get(pk=item.pk), province_supervisor, title="改")


def test_a_new_lead_unit_or_co_unit_must_be_one_the_actor_may_assign_to(
    province_supervisor, county_supervisor, county_a, county_b, prefecture
):
    county_c = make_unit("530103", "盘龙区", Level.COUNTY, prefecture)
    item = services.assign_item(
        actor=county_supervisor,
        kind="task",
        title="区级事项",
        lead_unit=county_a,
        deadline=days(20),
    )
    with pytest.raises(ValidationError) as exc:
        change(item, county_supervisor, lead_unit=county_b, co_units=[county_c])
    assert exc.value.message_dict == {
        "lead_unit": ["无权向该单位交办"],
        "co_units": ["无权向盘龙区交办"],
    }
    # A co-unit the item has already is kept, whoever named it.
    change(item, province_supervisor, co_units=[county_c])
    item = Item.objects.get(pk=item.pk)
    change(item, county_supervisor, title="区级事项（改）", co_units=[county_c])
    assert list(Item.objects.get(pk=item.pk).co_units.all()) == [county_c]


def test_a_child_item_stays_within_its_parents_lead_unit(
    make_item, province_supervisor, county_a, county_b
):
    parent = make_item(title="上级")
    town = make_unit("530112001", "马街街道", Level.TOWNSHIP, county_a)
    child = make_item(title="子事项", parent=parent, lead_unit=town)
    county_sup_b = make_user("wh_xn", county_b, "supervisor")
    Item.objects.filter(pk=child.pk).update(assigning_unit=county_b)  # an old row
    with pytest.raises(ValidationError) as exc:
        change(Item.objects.get(pk=child.pk), county_sup_b, lead_unit=county_b)
    assert "只能交办给其牵头单位（西山区）及其下级单位" in exc.value.message_dict["lead_unit"][0]


def test_the_responsible_person_and_the_dates_obey_the_rules_of_a_new_item(
    make_item, province_supervisor, handler_b
):
    item = make_item(deadline=days(10))
    with pytest.raises(ValidationError) as exc:
        change(item, province_supervisor, responsible=handler_b, assigned_on=days(11))
    assert exc.value.message_dict == {
        "responsible": ["责任人须为牵头单位（西山区）的人员。"],
        "assigned_on": [f"办理时限不能早于交办日期（{days(11).isoformat()}）。"],
    }


# --- the light -----------------------------------------------------------------------------


def test_the_light_follows_the_new_deadline_and_the_scan_tells_the_handlers(
    make_item, province_supervisor, handler_a
):
    from xiaoneng.supervision.scan import scan_deadlines

    item = make_item(assigned_on=days(-20), deadline=days(30))
    scan_deadlines(actor=SYSTEM)
    assert Item.objects.get(pk=item.pk).light != "red"
    change(item, province_supervisor, deadline=days(-1))
    # Every page computes it from the deadline (lights.py): red at once.
    assert with_light(Item.objects.filter(pk=item.pk)).get().light_now == "red"
    scan_deadlines(actor=SYSTEM)
    assert Item.objects.get(pk=item.pk).light == "red"
    assert Notification.objects.filter(recipient=handler_a, verb="overdue").count() == 1


# --- the import goes through it ------------------------------------------------------------


def test_the_page_and_the_import_record_a_change_alike(
    make_item, client_for, province_supervisor, handler_a, django_capture_on_commit_callbacks
):
    from xiaoneng.supervision.tests.test_item_edit import posted

    by_page, by_import = (make_item(title="同一事项", deadline=days(30)) for _ in range(2))
    client = client_for(province_supervisor)
    page = f"/supervision/{by_page.pk}/edit/"
    row = [by_import.code, None, "同一事项", "530112", None, None, None, days(40).isoformat()]
    with django_capture_on_commit_callbacks(execute=True):
        data = {**posted(client.get(page)), "deadline": days(40).isoformat()}
        assert client.post(page, data).status_code == 302
        ledger.import_items(sheet(FULL, [row]), actor=province_supervisor)

    def entry(item):
        event = ItemEvent.objects.get(item=item, action="change")
        note = Notification.objects.get(ref=f"supervision.item:{item.pk}", verb="changed")
        return event.comment, event.actor, note.recipient, note.title.removeprefix(item.code)

    assert entry(by_page) == entry(by_import)
    assert entry(by_page) == (
        f"办理时限：{days(30).isoformat()} → {days(40).isoformat()}",
        province_supervisor,
        handler_a,
        " 同一事项：办理时限已修改",
    )


def test_a_refusal_of_the_service_is_the_rows_error_and_nothing_is_written(
    make_item, province_supervisor, county_supervisor, county_a
):
    theirs = make_item(title="省级交办")  # the county's supervisor may not change it
    own = services.assign_item(
        actor=county_supervisor, kind="task", title="区级交办", lead_unit=county_a,
        deadline=days(20),
    )  # fmt: skip
    rows = [
        [own.code, None, "区级交办（改）", "530112", None, None, None, None],
        [theirs.code, None, "省级交办（改）", "530112", None, None, None, None],
    ]
    from xiaoneng.core.xlsx import ImportFailed

    with pytest.raises(ImportFailed) as exc:
        ledger.import_items(sheet(FULL, rows), actor=county_supervisor)
    assert [(e.row, e.column, e.value) for e in exc.value.errors] == [(3, "编号", theirs.code)]
    assert "只有交办单位的督查人员可以修改该事项" in exc.value.errors[0].message
    assert Item.objects.get(pk=own.pk).title == "区级交办"  # row 2 rolled back with the file
