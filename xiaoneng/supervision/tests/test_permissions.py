"""Issue 11: one permission policy (supervision/policy.py). The "my work" lists are the
policy's restrict() and the buttons its can(), so the two never disagree; commands and the
demo act as the named system actor, and nobody else (no actor) may do anything."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import version_of
from xiaoneng.supervision import holidays, negative, services
from xiaoneng.supervision.models import Item, Status
from xiaoneng.supervision.workdays import parse_schedule
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db

IN_30_DAYS = dt.date.today() + dt.timedelta(days=30)
CHILD = "五华区承办的子事项"


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def prefecture_handler(prefecture):
    return make_user("km_cb", prefecture, "handler", name="昆明承办")


@pytest.fixture
def prefecture_viewer(prefecture):
    return make_user("km_ck", prefecture, "viewer", name="昆明查看")


@pytest.fixture
def awaiting_review(province_supervisor, prefecture, prefecture_handler, county_b, handler_b):
    """The demo's shape: the province assigns 昆明市 an item; 昆明市's handler decomposes it
    among its counties; 五华区 asks to close its child item, which 昆明市 (the parent's lead
    unit) reviews."""
    parent = services.assign_item(
        actor=province_supervisor,
        kind="task",
        title="全市营商环境整改",
        lead_unit=prefecture,
        deadline=IN_30_DAYS,
    )
    (child,) = services.decompose(parent, actor=prefecture_handler, units=[county_b], title=CHILD)
    services.acknowledge(child, actor=handler_b)
    services.report_progress(child, actor=handler_b, percent=100, comment="完成")
    return services.request_closure(child, actor=handler_b, comment="申请办结")


def review_list(client) -> list[int]:
    """The ids of the items 我的待办 lists to review."""
    page = client.get(reverse("supervision:my_work"))
    return [row.pk for row in page.context["to_review"]["rows"]]


def test_a_viewer_of_the_parents_unit_has_nothing_to_review(
    client_for, awaiting_review, prefecture_viewer
):
    """The bug of issue 11: the read-only viewer of 昆明市 saw the child item under 待我审核
    with no action it could take on it."""
    child = awaiting_review
    c = client_for(prefecture_viewer)
    assert Item.objects.restrict(prefecture_viewer, "view").filter(pk=child.pk).exists()
    assert review_list(c) == []
    html = c.get(reverse("supervision:item_detail", args=[child.pk])).content.decode()
    assert CHILD in html
    for action in services.ACTIONS:
        assert f"/do/{action}/" not in html
    assert reverse("supervision:item_urge", args=[child.pk]) not in html
    assert reverse("supervision:item_decompose", args=[child.pk]) not in html
    # And a crafted request finds nothing to approve.
    url = reverse("supervision:item_action", args=[child.pk, "approve"])
    assert c.post(url, {"version": version_of(child)}).status_code == 404
    assert Item.objects.get(pk=child.pk).status == Status.CLOSURE_REQUESTED


def test_the_parents_handler_reviews_it_from_the_list_and_the_page(
    client_for, awaiting_review, prefecture_handler
):
    child = awaiting_review
    c = client_for(prefecture_handler)
    assert review_list(c) == [child.pk]
    html = c.get(reverse("supervision:item_detail", args=[child.pk])).content.decode()
    assert "/do/approve/" in html and "/do/send_back/" in html
    r = c.post(
        reverse("supervision:item_action", args=[child.pk, "approve"]),
        {"version": version_of(Item.objects.get(pk=child.pk))},
    )
    assert r.status_code == 302
    assert Item.objects.get(pk=child.pk).status == Status.CLOSED


def test_every_list_of_my_work_agrees_with_the_buttons(
    client_for, awaiting_review, province_supervisor, prefecture_handler, prefecture_viewer,
    handler_b, county_supervisor,
):  # fmt: skip
    people = [province_supervisor, prefecture_handler, prefecture_viewer, handler_b]
    for person in [*people, county_supervisor]:
        page = client_for(person).get(reverse("supervision:my_work")).context
        visible = Item.objects.restrict(person, "view")
        for key, side in (("to_handle", "handle"), ("to_review", "review")):
            listed = {i.pk for i in page[key]["rows"]}
            offered = {
                i.pk
                for i in visible
                if any(services.RULES[a].who == side for a in services.allowed_actions(person, i))
                and (side == "handle" or i.status == Status.CLOSURE_REQUESTED)
            }
            assert listed == offered, (person.username, key)


def test_the_parents_responsible_person_reviews_its_children(
    province_supervisor, prefecture, county_b, handler_b
):
    responsible = make_user("km_ld", prefecture, "viewer", name="昆明责任人")
    parent = services.assign_item(
        actor=province_supervisor,
        kind="task",
        title="全市事项",
        lead_unit=prefecture,
        responsible=responsible,
        deadline=IN_30_DAYS,
    )
    (child,) = services.decompose(parent, actor=responsible, units=[county_b])
    assert policy.can(responsible, "review", child)
    assert Item.objects.restrict(responsible, "review").filter(pk=child.pk).exists()
    assert not policy.can(responsible, "review", parent)  # the province's


def test_only_a_supervisor_among_the_reviewers_may_force_a_closure(
    province_supervisor, prefecture_handler, prefecture, county_a, county_b
):
    parent = services.assign_item(
        actor=province_supervisor, kind="task", title="全市事项", lead_unit=prefecture,
        deadline=IN_30_DAYS,
    )  # fmt: skip
    services.decompose(parent, actor=prefecture_handler, units=[county_a, county_b])
    services.acknowledge(parent, actor=prefecture_handler)
    services.report_progress(parent, actor=prefecture_handler, percent=50, comment="汇总")
    services.request_closure(parent, actor=prefecture_handler, comment="申请")
    assert policy.can(province_supervisor, "force_close", parent)
    assert not policy.can(prefecture_handler, "force_close", parent)
    closed = services.approve(parent, actor=province_supervisor, override_reason="已并入")
    assert closed.status == Status.CLOSED


def test_nobody_may_act_and_the_system_may(make_item, county_a):
    item = make_item()
    with pytest.raises(PermissionDenied):
        services.acknowledge(item, actor=None)
    with pytest.raises(PermissionDenied):
        services.assign_item(
            actor=None, kind="task", title="无人交办", lead_unit=county_a, deadline=IN_30_DAYS
        )
    item = services.acknowledge(item, actor=SYSTEM)
    assert item.status == Status.ACKNOWLEDGED
    event = item.events.latest("pk")
    assert event.actor is None and event.actor_unit is None  # shown as 系统
    made = services.assign_item(
        actor=SYSTEM, kind="task", title="系统交办", lead_unit=county_a, deadline=IN_30_DAYS
    )
    assert made.assigned_by is None and made.assigning_unit == county_a.parent


def test_co_units_are_units_one_may_assign_to(county_a, county_b):
    supervisor_a = make_user("xs_xn2", county_a, "supervisor")
    with pytest.raises(PermissionDenied):
        services.assign_item(
            actor=supervisor_a, kind="task", title="越界协办", lead_unit=county_a,
            co_units=[county_b], deadline=IN_30_DAYS,
        )  # fmt: skip
    outside, missing = (
        api(supervisor_a).post(
            "/api/items/",
            {"kind": "task", "title": "越界协办", "lead_unit": county_a.pk,
             "co_units": [unit_id], "deadline": IN_30_DAYS.isoformat()},
            format="json",
        )
        for unit_id in (county_b.pk, 999999)
    )  # fmt: skip
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["co_units"] == [
        m.replace("999999", str(county_b.pk)) for m in missing.json()["co_units"]
    ]
    assert not Item.objects.exists()


def test_a_decomposition_is_found_only_by_who_may_decompose(
    make_item, client_for, county_a, handler_a, county_b, handler_b
):
    make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    item = make_item(co_units=[county_b])  # county B sees it as a co-unit
    url = reverse("supervision:item_decompose", args=[item.pk])
    assert client_for(handler_b).get(reverse("supervision:item_detail", args=[item.pk]))
    assert client_for(handler_b).get(url).status_code == 404
    assert client_for(handler_a).get(url).status_code == 200


def test_an_item_out_of_reach_is_refused_on_a_violation_like_a_missing_one(
    province_supervisor, county_a, county_b, behaviour
):
    elsewhere = services.assign_item(
        actor=province_supervisor, kind="task", title="五华区事项", lead_unit=county_b,
        deadline=IN_30_DAYS,
    )  # fmt: skip
    supervisor_a = make_user("xs_xn2", county_a, "supervisor")
    outside, missing = (
        api(supervisor_a).post(
            "/api/violations/",
            {"behaviour": behaviour.pk, "unit": county_a.pk, "date": "2026-05-01",
             "facts": "事实", "action": "criticism", "item": item_id},
            format="json",
        )
        for item_id in (elsewhere.pk, 999999)
    )  # fmt: skip
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["item"] == [
        m.replace("999999", str(elsewhere.pk)) for m in missing.json()["item"]
    ]


def test_the_negative_list_and_the_calendar_follow_the_policy(
    province_supervisor, county_a, county_supervisor, handler_a, behaviour
):
    fields = {"behaviour": behaviour, "unit": county_a, "date": dt.date(2026, 5, 1),
              "facts": "事实", "action": "criticism"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        negative.record_violation(actor=handler_a, **fields)
    with pytest.raises(PermissionDenied):
        negative.record_violation(actor=None, **fields)
    v = negative.record_violation(actor=county_supervisor, **fields)
    with pytest.raises(PermissionDenied):
        negative.set_published(v, actor=handler_a, published=True)
    negative.set_published(v, actor=SYSTEM, published=True)
    assert v.recorded_by == county_supervisor
    # The catalogue and the calendar are the province's.
    assert policy.can(province_supervisor, "change", behaviour)
    assert not policy.can(county_supervisor, "change", behaviour)
    days, _errors = parse_schedule("2027-01-01 休 元旦")
    with pytest.raises(PermissionDenied):
        holidays.load_holidays(days, actor=None, year=2027)
    assert holidays.load_holidays(days, actor=SYSTEM, year=2027) == (1, 0)


def test_a_child_outside_the_parents_lead_unit_is_still_refused_by_the_data_rule(
    make_item, county_b
):
    """check_child_unit is a rule of the data, not a permission: the county B supervisor
    may assign under an item they see, and is told why this child cannot go there."""
    parent = make_item(co_units=[county_b])
    supervisor_b = make_user("wh_xn", county_b, "supervisor")
    assert policy.can(supervisor_b, "assign_child", parent)
    with pytest.raises(ValidationError) as info:
        services.assign_item(
            actor=supervisor_b, kind="task", title="x", lead_unit=county_b, parent=parent,
            deadline=IN_30_DAYS,
        )  # fmt: skip
    assert "lead_unit" in info.value.message_dict


def test_only_who_may_force_a_closure_is_asked_for_a_reason(
    client_for, province_supervisor, prefecture, prefecture_handler, county_a, handler_a
):
    street = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    parent = services.assign_item(
        actor=province_supervisor, kind="task", title="全市事项", lead_unit=prefecture,
        deadline=IN_30_DAYS,
    )  # fmt: skip
    (child,) = services.decompose(parent, actor=prefecture_handler, units=[county_a])
    services.decompose(child, actor=handler_a, units=[street])  # still open below it
    services.acknowledge(child, actor=handler_a)
    services.report_progress(child, actor=handler_a, percent=50, comment="推进")
    services.request_closure(child, actor=handler_a, comment="申请")
    prefecture_supervisor = make_user("km_xn", prefecture, "supervisor")
    url = reverse("supervision:item_detail", args=[child.pk])
    for person, asked in ((prefecture_handler, False), (prefecture_supervisor, True)):
        html = client_for(person).get(url).content.decode()
        assert "/do/approve/" in html
        assert ("强制办结理由" in html) is asked, person.username
