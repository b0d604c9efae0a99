"""Issue 10, requirement 5: child items stay in their scope — listed only to those who may
see them, assigned only within the parent's lead unit's subtree (or by someone whose scope
covers both, and then the parent's lead unit is told), rolled up only within that rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db

IN_30_DAYS = dt.date.today() + dt.timedelta(days=30)
HIDDEN = "碧鸡街道内部子事项"  # a child county B's people may not see


@pytest.fixture
def street_a(county_a):
    return make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)


@pytest.fixture
def street_b(county_b):
    return make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b)


@pytest.fixture
def prefecture_supervisor(prefecture):
    return make_user("km_xn", prefecture, "supervisor", name="昆明督查")


@pytest.fixture
def supervisor_b(county_b):
    return make_user("wh_xn", county_b, "supervisor", name="五华督查")


def assign(actor, lead_unit, **kwargs):
    return services.assign_item(
        actor=actor,
        kind="task",
        title=kwargs.pop("title", "落实营商环境整改"),
        lead_unit=lead_unit,
        deadline=IN_30_DAYS,
        **kwargs,
    )


@pytest.fixture
def parent(prefecture_supervisor, county_a, county_b):
    """County A's item, with county B as co-unit: county B's people see it."""
    return assign(prefecture_supervisor, county_a, title="西山区牵头事项", co_units=[county_b])


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_it_lists_only_the_children_the_viewer_may_see(
    client_for, parent, prefecture_supervisor, county_b, street_a, handler_a, handler_b
):
    # The prefecture assigns a child under county A's item to county A's street: county B
    # (the parent's co-unit) may see the parent, not the child.
    hidden = assign(prefecture_supervisor, street_a, title=HIDDEN, parent=parent)
    shared = assign(
        prefecture_supervisor,
        street_a,
        title="五华区协办子事项",
        parent=parent,
        co_units=[county_b],
    )
    assert not Item.objects.restrict(handler_b, "view").filter(pk=hidden.pk).exists()

    page = client_for(handler_b).get(reverse("supervision:item_detail", args=[parent.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert shared.title in text and HIDDEN not in text and hidden.code not in text

    r = api(handler_b).get(f"/api/items/{parent.pk}/children/")
    assert r.status_code == 200
    assert [row["id"] for row in r.json()] == [shared.pk]

    # County A sees both.
    text = client_for(handler_a).get(reverse("supervision:item_detail", args=[parent.pk]))
    assert HIDDEN in text.content.decode()


def test_a_child_goes_only_within_the_parents_lead_unit_unless_the_assigner_covers_both(
    parent, supervisor_b, street_b, street_a, county_a, county_b
):
    # County B's supervisor sees the parent (co-unit), but cannot hang a child of their
    # own county under county A's item.
    with pytest.raises(ValidationError) as info:
        assign(supervisor_b, street_b, parent=parent)
    assert info.value.message_dict == {
        "lead_unit": [
            f"上级事项 {parent.code} 的子事项只能交办给其牵头单位（西山区）及其下级单位。"
        ]
    }
    assert not parent.children.exists()
    # Within the parent's lead unit's subtree: allowed.
    county_a_supervisor = make_user("xs_xn", county_a, "supervisor")
    child = assign(county_a_supervisor, street_a, parent=parent)
    assert child.parent == parent


def test_the_form_and_the_api_name_the_lead_unit_field(client_for, parent, supervisor_b, street_b):
    data = {
        "kind": "task",
        "title": "五华区子事项",
        "source": "superior",
        "lead_unit": street_b.pk,
        "deadline_mode": "date",
        "deadline": IN_30_DAYS.isoformat(),
        "urgency": "normal",
        "parent": parent.pk,
    }
    r = client_for(supervisor_b).post(reverse("supervision:item_create"), data)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "子事项只能交办给其牵头单位（西山区）及其下级单位" in errors["lead_unit"][0]
    r = api(supervisor_b).post("/api/items/", data, format="json")
    assert r.status_code == 400
    assert "子事项只能交办给其牵头单位（西山区）及其下级单位" in r.json()["lead_unit"][0]
    assert not parent.children.exists()


def test_the_parents_lead_unit_is_told_of_a_child_assigned_outside_it(
    parent, prefecture_supervisor, county_b, street_a, handler_a, handler_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        outside = assign(prefecture_supervisor, county_b, title="请五华区协助", parent=parent)
    told = Notification.objects.get(recipient=handler_a, verb="child_assigned")
    assert "五华区" in told.title and "请五华区协助" in told.title
    assert told.url == reverse("supervision:item_detail", args=[parent.pk])
    assert Notification.objects.filter(recipient=handler_b, verb="assigned").exists()
    assert outside.parent == parent
    # A child within the parent's lead unit tells nobody extra.
    with django_capture_on_commit_callbacks(execute=True):
        assign(prefecture_supervisor, street_a, parent=parent)
    assert Notification.objects.filter(verb="child_assigned").count() == 1


def test_only_children_within_the_rule_roll_up_to_the_parent(
    parent, prefecture_supervisor, supervisor_b, street_a, street_b, county_b
):
    inside = assign(prefecture_supervisor, street_a, parent=parent)
    # An old row: county B's supervisor hung a child of their own under county A's item
    # before the rule (as the service allowed then).
    rogue = assign(supervisor_b, street_b, title="旧的越界子事项")
    Item.objects.filter(pk=rogue.pk).update(parent=parent, progress=100)

    street_handler = make_user("bj_cb", street_a, "handler")
    services.acknowledge(inside, actor=street_handler)
    services.report_progress(inside, actor=street_handler, percent=40, comment="摸底完成")
    parent.refresh_from_db()
    assert parent.progress == 40  # the rogue child's 100 % does not count

    # A child the prefecture asked county B for counts: its assigner covers both.
    helper = assign(prefecture_supervisor, county_b, parent=parent)
    b_handler = make_user("wh_cb2", county_b, "handler")
    services.acknowledge(helper, actor=b_handler)
    services.report_progress(helper, actor=b_handler, percent=80, comment="已协助")
    parent.refresh_from_db()
    assert parent.progress == 60

    # The rogue child neither holds the parent's closure nor its progress reports.
    assert set(services.counted_children(parent)) == {inside, helper}


def test_the_ledger_cannot_move_a_child_out_of_its_parents_lead_unit(
    parent, supervisor_b, street_b, county_b
):
    from xiaoneng.core.xlsx import ImportFailed
    from xiaoneng.supervision import ledger

    from .test_ledger import book

    rogue = assign(supervisor_b, street_b, title="旧的越界子事项")
    Item.objects.filter(pk=rogue.pk).update(parent=parent)
    row = [
        rogue.code,
        "督办事项",
        rogue.title,
        "上级交办",
        "530102",
        IN_30_DAYS.isoformat(),
        None,
        "",
    ]
    with pytest.raises(ImportFailed) as info:
        ledger.import_items(book([row]), actor=supervisor_b)
    assert [(e.column, e.message) for e in info.value.errors] == [
        ("牵头单位", f"上级事项 {parent.code} 的子事项只能交办给其牵头单位（西山区）及其下级单位。")
    ]
