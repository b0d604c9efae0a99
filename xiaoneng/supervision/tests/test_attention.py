"""Attention first: every item list puts red before yellow before green before closed, those
without a deadline after those with one, then by deadline; beside each deadline the working
days overdue or remaining; a filter for escalated items; a county's or prefecture's 效能办
finds the red items of its subtree in 我的待办 and may urge them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core import policy
from xiaoneng.supervision import listing, services
from xiaoneng.supervision.lights import attention_order
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.workdays import Calendar


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def thresholds(settings):
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 3
    settings.XIAONENG_LIGHT_BEHIND_POINTS = 20


@pytest.fixture
def mixed(make_item, thresholds, province_supervisor, handler_a):
    """Two items of each light (green also without a deadline), and closed ones: made in
    an order that is none of the expected one."""
    made = {}

    def add(name, *, deadline, **kwargs):
        # Every new item gets a deadline; one without (the model allows it: older ledgers)
        # is written so.
        made[name] = make_item(title=name, deadline=deadline or days(10), **kwargs)
        if deadline is None:
            Item.objects.filter(pk=made[name].pk).update(deadline=None)
            made[name].refresh_from_db()

    add("绿1", assigned_on=timezone.localdate(), deadline=days(40))
    add("无时限1", assigned_on=timezone.localdate(), deadline=None)
    add("红2", assigned_on=days(-30), deadline=days(-2))
    add("黄-临期", assigned_on=days(-10), deadline=days(2))
    add("绿2", assigned_on=timezone.localdate(), deadline=days(20))
    add("红1", assigned_on=days(-30), deadline=days(-9))
    # Behind pace: 50 % of the time gone, no progress (yellow, though due in 20 days).
    add("黄-滞后", assigned_on=days(-20), deadline=days(20))
    add("无时限2", assigned_on=timezone.localdate(), deadline=None)
    for name, deadline in (("办结2", days(5)), ("办结1", days(-3)), ("办结无时限", None)):
        add(name, assigned_on=days(-30), deadline=deadline)
        item = made[name]
        services.acknowledge(item, actor=handler_a)
        services.report_progress(item, actor=handler_a, percent=50, comment="过半")
        services.request_closure(item, actor=handler_a, comment="完成", evidence="验收")
        services.approve(item, actor=province_supervisor)
    return made


EXPECTED = [
    "红1",  # red, the longest overdue first
    "红2",
    "黄-临期",  # yellow, by deadline
    "黄-滞后",
    "绿2",
    "绿1",
    "无时限1",  # open without a deadline: after those with one, before closed
    "无时限2",
    "办结1",  # closed last
    "办结2",
    "办结无时限",
]


def titles(rows) -> list[str]:
    return [row.title for row in rows]


def test_the_order_by_the_lights_case_is_attention_first(mixed, province_supervisor):
    qs = Item.objects.restrict(province_supervisor, "view").order_by(*attention_order())
    assert [item.title for item in qs] == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 5, 11, 50])
@pytest.mark.parametrize("one_query_up_to", [0, 200], ids=["by-segment", "one-query"])
def test_the_list_fetched_segment_by_segment_is_the_same_order_on_every_page(
    mixed, province_supervisor, size, one_query_up_to, monkeypatch
):
    """listing.AttentionList (the list page's and the API's) against the one ORDER BY: a
    long list is fetched a segment at a time, a short one in one query."""
    monkeypatch.setattr(listing.AttentionList, "ONE_QUERY_UP_TO", one_query_up_to)
    base = listing.list_queryset(province_supervisor)
    rows = listing.AttentionList(base, listing.light_counts(base))
    assert rows.count() == len(EXPECTED)
    pages = [titles(rows[start : start + size]) for start in range(0, len(EXPECTED), size)]
    assert [title for page in pages for title in page] == EXPECTED
    green = listing.AttentionList(base, listing.light_counts(base), light="green")
    assert titles(green[0:10]) == ["绿2", "绿1", "无时限1", "无时限2"]


def test_the_list_page_the_api_and_my_work_put_attention_first(
    mixed, client_for, province_supervisor, handler_a
):
    page = client_for(province_supervisor).get(reverse("supervision:item_list"))
    assert titles(page.context["page"].object_list) == EXPECTED
    text = page.content.decode()
    # The rows as rendered (the phone's cards are the same rows).
    shown = [mixed[t] for t in EXPECTED]
    links = [text.index(f'href="{reverse("supervision:item_detail", args=[i.pk])}"') for i in shown]
    assert links == sorted(links)
    # With a light chosen: only those, in order; the count from the light counts.
    page = client_for(province_supervisor).get(reverse("supervision:item_list"), {"light": "green"})
    assert titles(page.context["page"].object_list) == ["绿2", "绿1", "无时限1", "无时限2"]
    assert "共 4 项" in page.content.decode()
    api = client_for(province_supervisor).get("/api/items/", {"limit": 4, "offset": 2})
    assert api.json()["count"] == len(EXPECTED)
    assert [row["title"] for row in api.json()["results"]] == EXPECTED[2:6]
    work = client_for(handler_a).get(reverse("supervision:my_work")).context["to_handle"]
    assert titles(work["rows"]) == [t for t in EXPECTED if not t.startswith("办结")]


def test_beside_each_deadline_the_working_days_overdue_or_remaining(
    mixed, client_for, province_supervisor
):
    calendar = Calendar()
    overdue = calendar.workdays_between(days(-9), timezone.localdate())
    remaining = calendar.workdays_between(timezone.localdate(), days(40))
    page = client_for(province_supervisor).get(reverse("supervision:item_list"))
    rows = {row.title: row for row in page.context["page"].object_list}
    assert rows["红1"].due.overdue and rows["红1"].due.workdays == overdue
    assert not rows["绿1"].due.overdue and rows["绿1"].due.workdays == remaining
    assert rows["无时限1"].due is None and rows["办结1"].due is None
    text = page.content.decode()
    if overdue:  # (a deadline missed on a weekend is 0 working days overdue until Monday)
        assert f"超期 {overdue} 个工作日" in text
    assert f"剩余 {remaining} 个工作日" in text
    # The item's page says it too.
    detail = client_for(province_supervisor).get(
        reverse("supervision:item_detail", args=[mixed["绿1"].pk])
    )
    assert f"剩余 {remaining} 个工作日" in detail.content.decode()


def test_it_filters_escalated_items_on_the_page_the_export_and_the_api(
    make_item, client_for, province_supervisor
):
    plain = make_item(title="未提级")
    escalated = make_item(title="已提级")
    Item.objects.filter(pk=escalated.pk).update(escalated=True)
    c = client_for(province_supervisor)
    page = c.get(reverse("supervision:item_list"), {"escalated": "true"})
    assert titles(page.context["page"].object_list) == ["已提级"]
    assert 'name="escalated"' in page.content.decode()
    page = c.get(reverse("supervision:item_list"), {"escalated": "false"})
    assert titles(page.context["page"].object_list) == ["未提级"]
    api = c.get("/api/items/", {"escalated": "true"}).json()
    assert [row["id"] for row in api["results"]] == [escalated.pk]
    assert plain.pk not in [row["id"] for row in api["results"]]
    export = c.get(reverse("supervision:item_export"), {"escalated": "true"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


@pytest.fixture
def prefecture_supervisor(prefecture):
    return make_user("km_xn", prefecture, "supervisor", name="昆明督查")


def test_a_prefectures_supervisor_finds_the_red_items_of_its_counties_and_may_urge_them(
    make_item, client_for, prefecture_supervisor, county_b, handler_a, settings
):
    """The province assigned them: before, only the assigning side might urge (昆明市效能办
    saw nothing to do while two Kunming items were red)."""
    settings.XIAONENG_URGE_MIN_WORKDAYS = 1
    red = make_item(title="西山红灯", assigned_on=days(-20), deadline=days(-2))
    make_item(title="西山绿灯", deadline=days(30))
    other = make_item(
        title="五华红灯", lead_unit=county_b, assigned_on=days(-20), deadline=days(-1)
    )
    assert policy.can(prefecture_supervisor, "urge", red)
    assert not policy.can(prefecture_supervisor, "review", red)  # the province reviews it
    c = client_for(prefecture_supervisor)
    work = c.get(reverse("supervision:my_work"))
    listed = titles(work.context["to_urge"]["rows"])
    assert sorted(listed) == ["五华红灯", "西山红灯"]
    assert "去催办" in work.content.decode()
    page = c.get(reverse("supervision:item_detail", args=[red.pk])).content.decode()
    assert reverse("supervision:item_urge", args=[red.pk]) in page and "您可催办" in page
    r = c.post(reverse("supervision:item_urge", args=[red.pk]), {"comment": "请本周内反馈"})
    assert r.status_code == 302
    red.refresh_from_db()
    assert red.urge_count == 1
    # A county's 效能办 urges within its county only.
    county_sup = make_user("xs_xn2", red.lead_unit, "supervisor")
    assert policy.can(county_sup, "urge", red) and not policy.can(county_sup, "urge", other)
    # A handler of the county does not urge.
    assert not policy.can(handler_a, "urge", red)


def test_a_handler_sees_no_urge_form(make_item, client_for, handler_a):
    red = make_item(title="西山红灯", assigned_on=days(-20), deadline=days(-2))
    page = client_for(handler_a).get(reverse("supervision:item_detail", args=[red.pk]))
    assert reverse("supervision:item_urge", args=[red.pk]) not in page.content.decode()
