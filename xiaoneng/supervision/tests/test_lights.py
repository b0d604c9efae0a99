import datetime as dt

import pytest

from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import listing, scan
from xiaoneng.supervision.lights import with_light
from xiaoneng.supervision.models import Item

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def light_of(item, on=TODAY):
    """The light in SQL; the list page's rows must agree with it."""
    sql = with_light(Item.objects.filter(pk=item.pk), on).get().light_now
    assert [row.light_now for row in listing.rows(Item.objects.filter(pk=item.pk), on)] == [sql]
    return sql


@pytest.fixture
def thresholds(settings):
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 3
    settings.XIAONENG_LIGHT_BEHIND_POINTS = 20


def test_it_turns_red_the_day_after_the_deadline(make_item, thresholds):
    item = make_item(assigned_on=TODAY - dt.timedelta(days=10), deadline=TODAY)
    Item.objects.filter(pk=item.pk).update(progress=100)
    assert light_of(item, TODAY) == "yellow"
    assert light_of(item, TODAY + dt.timedelta(days=1)) == "red"


def test_it_turns_yellow_exactly_n_days_before_the_deadline(make_item, thresholds):
    item = make_item(
        assigned_on=TODAY - dt.timedelta(days=100), deadline=TODAY + dt.timedelta(days=3)
    )
    Item.objects.filter(pk=item.pk).update(progress=100)
    assert light_of(item) == "yellow"
    assert light_of(item, TODAY - dt.timedelta(days=1)) == "green"


def test_it_turns_yellow_when_behind_pace_by_more_than_x_points(make_item, thresholds):
    # 100 days, 50 elapsed: expected 50 %. 30 % is 20 behind (not more): green; 29 %: yellow.
    item = make_item(
        assigned_on=TODAY - dt.timedelta(days=50), deadline=TODAY + dt.timedelta(days=50)
    )
    Item.objects.filter(pk=item.pk).update(progress=30)
    assert light_of(item) == "green"
    Item.objects.filter(pk=item.pk).update(progress=29)
    assert light_of(item) == "yellow"


def test_it_reads_thresholds_from_settings(make_item, settings):
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 10
    settings.XIAONENG_LIGHT_BEHIND_POINTS = 90
    item = make_item(
        assigned_on=TODAY - dt.timedelta(days=1), deadline=TODAY + dt.timedelta(days=10)
    )
    assert light_of(item) == "yellow"
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 9
    assert light_of(item) == "green"


def test_it_gives_closed_items_no_light(make_item, thresholds):
    item = make_item(
        assigned_on=TODAY - dt.timedelta(days=50), deadline=TODAY - dt.timedelta(days=5)
    )
    Item.objects.filter(pk=item.pk).update(status="closed")
    assert light_of(item) == "none"


def test_it_filters_and_counts_lists_by_light(
    make_item, thresholds, client_for, province_supervisor, django_assert_max_num_queries
):
    today = dt.date.today()
    make_item(
        title="红", assigned_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1)
    )
    make_item(
        title="黄", assigned_on=today - dt.timedelta(days=20), deadline=today + dt.timedelta(days=2)
    )
    for i in range(3):
        make_item(title=f"绿{i}", assigned_on=today, deadline=today + dt.timedelta(days=60))
    c = client_for(province_supervisor)
    with django_assert_max_num_queries(12):
        r = c.get("/supervision/?light=red")
    assert r.context["counts"] == {
        "total": 5,
        "green": 3,
        "yellow": 1,
        "red": 1,
        "none": 0,
        "green_undated": 0,
        "none_undated": 0,
    }
    assert [(i.title, i.light_now) for i in r.context["page"]] == [("红", "red")]
    assert "light-red" in r.content.decode()
    assert r.context["page"].paginator.count == 1  # taken from the light counts
    r = c.get("/supervision/?light=yellow&deadline_from=not-a-date")  # one bad field of two
    assert [i.title for i in r.context["page"]] == ["黄"] and r.context["page"].paginator.count == 1
    r = c.get("/supervision/")
    assert sorted(i.light_now for i in r.context["page"]) == ["green"] * 3 + ["red", "yellow"]
    assert r.context["page"].paginator.count == 5
    with django_assert_max_num_queries(12):
        c.get(
            "/supervision/?light=green&kind=task&status=open&q=绿&source=superior&deadline_from=2000-01-01"
        )


def test_the_scan_is_set_based_and_notifies_once(
    make_item, handler_a, thresholds, django_assert_max_num_queries
):
    today = dt.date.today()
    for i in range(5):
        make_item(
            title=f"超期{i}",
            assigned_on=today - dt.timedelta(days=20),
            deadline=today - dt.timedelta(days=1),
        )
    make_item(title="正常", assigned_on=today, deadline=today + dt.timedelta(days=60))
    Notification.objects.all().delete(actor=SYSTEM)
    with django_assert_max_num_queries(6):
        result = scan.scan_deadlines(actor=SYSTEM)
    assert result.updated == 5 and result.notifications == 5
    notes = Notification.objects.filter(recipient=handler_a, verb="overdue")
    assert notes.count() == 5
    note = notes.get(title__contains="超期0")
    assert note.url == f"/supervision/{note.ref.split(':')[1]}/" and note.title.endswith("已超期")
    again = scan.scan_deadlines(actor=SYSTEM)
    assert again.notifications == 0 and again.updated == 0


def test_the_scan_tells_a_responsible_person_once_and_nobody_outside(
    make_item, handler_a, handler_b, county_a, thresholds
):
    from xiaoneng.conftest import make_user

    second = make_user("xs_cb2", county_a, "handler")
    other = make_user("xs_other", county_a, "viewer")
    today = dt.date.today()
    make_item(
        title="逾期",
        assigned_on=today - dt.timedelta(days=9),
        deadline=today - dt.timedelta(days=1),
        responsible=handler_a,
    )
    make_item(
        title="逾期2",
        assigned_on=today - dt.timedelta(days=9),
        deadline=today - dt.timedelta(days=1),
        responsible=other,
    )
    Notification.objects.all().delete(actor=SYSTEM)
    assert scan.scan_deadlines(actor=SYSTEM).notifications == 5
    counts = {
        u.username: Notification.objects.filter(recipient=u).count()
        for u in (handler_a, second, other, handler_b)
    }
    assert counts == {"xs_cb": 2, "xs_cb2": 2, "xs_other": 1, "wh_cb": 0}


def test_the_scan_command_runs(make_item, capsys):
    from django.core.management import call_command

    call_command("scan-deadlines")
    assert "扫描完成" in capsys.readouterr().out


def test_the_light_filter_selects_exactly_the_items_of_that_light(make_item, thresholds):
    """The filter's shortcuts (none = closed, red = open and overdue) and the SQL rule agree."""
    from xiaoneng.supervision.filters import LIGHT_CHOICES, ItemFilterSet

    today = dt.date.today()
    for days_left, progress in [(-5, 0), (-1, 100), (0, 100), (2, 100), (3, 100), (4, 100),
                                (30, 0), (30, 100), (60, 100)]:  # fmt: skip
        item = make_item(
            assigned_on=today - dt.timedelta(days=30),
            deadline=today + dt.timedelta(days=days_left),
        )
        Item.objects.filter(pk=item.pk).update(progress=progress)
    closed = make_item(assigned_on=today - dt.timedelta(days=30), deadline=today)
    Item.objects.filter(pk=closed.pk).update(status="closed")
    # No deadline: assign_item refuses one now, but the rule keeps a NULL green.
    undated = make_item(assigned_on=today)
    Item.objects.filter(pk=undated.pk).update(deadline=None)
    by_sql = {}
    for item in with_light(Item.objects.all()):
        by_sql.setdefault(item.light_now, set()).add(item.pk)
    assert set(by_sql) == {"none", "red", "yellow", "green"}
    for light, _label in LIGHT_CHOICES:
        got = set(
            ItemFilterSet({"light": light}, queryset=Item.objects.all()).qs.values_list(
                "pk", flat=True
            )
        )
        assert got == by_sql[light], light


def test_filtersets_share_no_state(make_item, thresholds):
    """Filters and form fields are copied shallowly per FilterSet (core.filters):
    two FilterSets alive at once, with different data, each filter by their own."""
    from xiaoneng.supervision.filters import ItemFilterSet

    closed = make_item(title="已办结的")
    Item.objects.filter(pk=closed.pk).update(status="closed")
    open_item = make_item(title="未办结的")
    first = ItemFilterSet({"status": "open"}, queryset=Item.objects.all())
    second = ItemFilterSet({"status": "closed", "q": "已办结"}, queryset=Item.objects.all())
    assert first.filters["status"] is not second.filters["status"]
    assert first.form.fields["status"] is not second.form.fields["status"]
    assert list(second.qs) == [closed]
    assert list(first.qs) == [open_item]
    bad = ItemFilterSet({"status": "nonsense"}, queryset=Item.objects.all())
    assert not bad.is_valid() and first.is_valid()
    assert "status" in bad.form.errors and not first.form.errors
