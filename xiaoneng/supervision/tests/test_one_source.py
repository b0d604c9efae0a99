"""Issue 11, "one source per fact": the traffic light has one definition (the SQL expression
of lights.py) that the list filter, the deadline scan and every page use; who is told of an
item's work is one query (services.recipients.handler_rows) that the services and the scan
both use. Each test builds the cases and checks that every view of the fact agrees."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Notification
from xiaoneng.supervision import scan, services
from xiaoneng.supervision.filters import LIGHT_CHOICES, ItemFilterSet
from xiaoneng.supervision.lights import with_light
from xiaoneng.supervision.models import Holiday, Item, Status

pytestmark = pytest.mark.django_db

LIGHTS = [value for value, _label in LIGHT_CHOICES]


@pytest.fixture
def thresholds(settings):
    settings.XIAONENG_LIGHT_YELLOW_DAYS = 3
    settings.XIAONENG_LIGHT_BEHIND_POINTS = 20


@pytest.fixture
def grid(make_item, thresholds):
    """Every status × a deadline before, at and after today (past, today, within the yellow
    days, far) or none × progress behind or on pace, and items whose working-day deadline
    runs across holidays (with the holiday rows, the deadline moves past today)."""
    today = timezone.localdate()
    assigned = today - dt.timedelta(days=30)
    pks = []
    for status in Status.values:
        for days_left in (-5, -1, 0, 2, 3, 4, 30, None):
            for progress in (0, 100):  # 0: behind the pace; 100: ahead of it
                item = make_item(assigned_on=assigned, deadline=today + dt.timedelta(days=30))
                Item.objects.filter(pk=item.pk).update(
                    status=status,
                    progress=progress,
                    deadline=None if days_left is None else today + dt.timedelta(days=days_left),
                )
                pks.append(item.pk)
    # A week of holidays just before today: 5 working days from 10 days ago end after today.
    for back in range(1, 8):
        day = today - dt.timedelta(days=back)
        Holiday.objects.create(date=day, year=day.year, note="假期", actor=SYSTEM)
    for status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED):
        for progress in (0, 100):
            item = make_item(assigned_on=today - dt.timedelta(days=10), deadline=None,
                             deadline_workdays=5)  # fmt: skip
            assert item.deadline >= today  # the holidays moved it
            Item.objects.filter(pk=item.pk).update(status=status, progress=progress)
            pks.append(item.pk)
    return pks


def _by_filter() -> dict[int, str]:
    found = {}
    for light in LIGHTS:
        qs = ItemFilterSet({"light": light}, queryset=Item.objects.all()).qs
        for pk in qs.values_list("pk", flat=True):
            assert pk not in found, f"item {pk} under two lights"
            found[pk] = light
    return found


def test_the_filter_the_scan_and_the_pages_show_the_same_light(grid, client, province_supervisor):
    expected = dict(with_light(Item.objects.all()).values_list("pk", "light_now"))
    assert set(expected) == set(grid)
    assert set(expected.values()) == set(LIGHTS)  # the grid reaches every light

    assert _by_filter() == expected

    scan.scan_deadlines(actor=SYSTEM)
    assert dict(Item.objects.values_list("pk", "light")) == expected

    client.force_login(province_supervisor)
    listed, page = {}, 1
    while True:
        r = client.get("/supervision/", {"page": page})
        assert r.status_code == 200
        listed.update((row.pk, row.light_now) for row in r.context["page"].object_list)
        if not r.context["page"].has_next():
            break
        page += 1
    assert listed == expected
    counts = r.context["counts"]
    assert {light: counts[light] for light in LIGHTS} == {
        light: sum(1 for v in expected.values() if v == light) for light in LIGHTS
    }
    for pk, light in expected.items():
        r = client.get(f"/supervision/{pk}/")
        assert r.context["item"].light_now == light, pk

    api = APIClient()
    api.force_authenticate(province_supervisor)
    shown = {}
    url = "/api/items/?limit=500"
    while url:
        body = api.get(url).json()
        shown.update((row["id"], row["light"]) for row in body["results"])
        url = body.get("next")
    assert shown == expected


def test_the_services_and_the_scan_tell_the_same_people(
    make_item, county_a, handler_a, admin_a, thresholds, django_capture_on_commit_callbacks
):
    """The lead unit's active handlers and the named responsible person, once each; not an
    inactive or deleted handler, not a unit admin, not an inactive responsible person."""
    today = timezone.localdate()
    second = make_user("xs_cb2", county_a, "handler", name="吴承办")
    retired = make_user("xs_cb3", county_a, "handler", name="退休承办")
    retired.is_active = False
    retired.save(actor=SYSTEM)
    gone = make_user("xs_cb4", county_a, "handler", name="调离承办")
    gone.delete(actor=SYSTEM)
    responsible = make_user("xs_zr", county_a, name="钱责任")
    left = make_user("xs_zr2", county_a, name="离职责任")
    cases = {
        "no responsible": (None, {handler_a, second}),
        "a responsible person": (responsible, {handler_a, second, responsible}),
        "a handler named responsible": (handler_a, {handler_a, second}),
        "an inactive responsible person": (left, {handler_a, second}),
    }
    items = {}
    for label, (person, _people) in cases.items():
        items[label] = make_item(
            title=label,
            responsible=person,
            assigned_on=today - dt.timedelta(days=30),
            deadline=today - dt.timedelta(days=1),
        )
    left.is_active = False
    left.save(actor=SYSTEM)

    with django_capture_on_commit_callbacks(execute=True):
        scan.scan_deadlines(actor=SYSTEM)
    for label, (_person, people) in cases.items():
        item = items[label]
        by_scan = list(
            Notification.objects.filter(
                ref=f"supervision.item:{item.pk}", verb="overdue"
            ).values_list("recipient_id", flat=True)
        )
        assert sorted(by_scan) == sorted(p.pk for p in people), label  # each once
        assert services.handler_ids(item) == {p.pk for p in people}, label
        with django_capture_on_commit_callbacks(execute=True):
            services.urge(item, actor=item.assigned_by, comment="请加快")
        told = list(
            Notification.objects.filter(ref=f"supervision.item:{item.pk}", verb="urge").values_list(
                "recipient_id", flat=True
            )
        )
        assert sorted(told) == sorted(p.pk for p in people), label
        assert admin_a.pk not in told
