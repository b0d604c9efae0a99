"""The change log names the actor each action was given — the one its permission check used
— for every row the action writes (issue 11, items 2 and 6), the co-units of a new item
included."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.audit import history_for
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import holidays, negative, services
from xiaoneng.supervision.models import Attachment, Holiday, ItemEvent, Urge
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db


def actions(obj) -> list[tuple[str, object]]:
    return [(e.action, e.user) for e in history_for(obj).order_by("time", "id")]


def test_a_new_items_co_units_reach_the_change_log_as_the_assigners(
    province_supervisor, county_a, county_b, make_item
):
    item = make_item(co_units=[county_b, county_a])  # the lead unit is no co-unit of its own
    create, co_units = history_for(item).order_by("time", "id")
    assert (create.action, create.user) == ("create", province_supervisor)
    assert create.after["code"] == item.code and create.after["lead_unit_id"] == county_a.pk
    assert (co_units.action, co_units.user) == ("update", province_supervisor)
    assert (co_units.before, co_units.after) == ({"co_units": []}, {"co_units": [county_b.pk]})
    event = ItemEvent.objects.get(item=item, action="assign")
    assert actions(event) == [("create", province_supervisor)]


def test_an_item_without_co_units_has_one_entry(province_supervisor, make_item):
    item = make_item()
    assert actions(item) == [("create", province_supervisor)]


def test_urging_decomposing_and_the_roll_up_are_their_actors(
    province_supervisor, county_a, handler_a, make_item
):
    street = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    street_handler = make_user("bj_cb", street, "handler", name="碧鸡承办")
    parent = services.acknowledge(make_item(), actor=handler_a)
    record = services.urge(parent, actor=province_supervisor, comment="请加快")
    assert actions(Urge.objects.get(pk=record.pk)) == [("create", province_supervisor)]

    (child,) = services.decompose(parent, actor=handler_a, units=[street])
    assert actions(child) == [("create", handler_a)]
    assert actions(ItemEvent.objects.get(item=child, action="assign")) == [("create", handler_a)]
    services.acknowledge(child, actor=street_handler)
    services.report_progress(child, actor=street_handler, percent=60, comment="过半")
    assert actions(parent) == [
        ("create", province_supervisor),
        ("acknowledge", handler_a),
        ("urge", province_supervisor),
        ("decompose", handler_a),
        ("roll_up", street_handler),  # the child's progress moved the parent's
    ]
    assert actions(child) == [
        ("create", handler_a),
        ("acknowledge", street_handler),
        ("report_progress", street_handler),
    ]


def test_attachments_violations_and_holidays_are_their_actors(
    province_supervisor, county_a, handler_a, make_item, behaviour
):
    item = services.acknowledge(make_item(), actor=handler_a)
    services.report_progress(
        item,
        actor=handler_a,
        percent=20,
        comment="附照片说明",
        files=[SimpleUploadedFile("说明.txt", "整改说明".encode())],
    )
    assert actions(Attachment.objects.get(item=item)) == [("create", handler_a)]

    violation = negative.record_violation(
        actor=province_supervisor,
        behaviour=behaviour,
        unit=county_a,
        date=dt.date.today(),
        facts="事实",
        action="criticism",
    )
    negative.set_published(violation, actor=province_supervisor, published=True)
    assert actions(violation) == [("create", province_supervisor), ("publish", province_supervisor)]

    day = dt.date(2026, 10, 9)
    holidays.load_holidays([(day, False, "测试")], actor=province_supervisor, schedule=True)
    assert actions(Holiday.objects.get(date=day)) == [("create", province_supervisor)]


def test_the_scan_writes_no_change_log_row(province_supervisor, make_item):
    """The scan's writes (the stored light, inbox rows) are bookkeeping the log leaves out."""
    from xiaoneng.supervision import scan

    make_item(deadline=dt.date.today())  # due today: yellow
    before = ChangeLog.objects.count()
    assert scan.scan_deadlines(actor=SYSTEM).updated == 1
    assert ChangeLog.objects.count() == before
