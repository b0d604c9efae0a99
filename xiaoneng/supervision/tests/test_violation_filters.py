"""The negative list's records and /api/violations/ filter with one ViolationFilterSet."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import negative
from xiaoneng.supervision.models import Behaviour

pytestmark = pytest.mark.django_db


def page_ids(client, query: str) -> list[int]:
    response = client.get(f"{reverse('supervision:violation_list')}?{query}")
    assert response.status_code == 200
    return [v.pk for v in response.context["page"]]


def api_ids(user, query: str) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/violations/?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def record(behaviour, unit, action, day):
    return negative.record_violation(
        actor=SYSTEM,
        behaviour=behaviour,
        unit=unit,
        date=dt.date(2026, 5, day),
        facts="事实",
        action=action,
    )


def test_it_gives_the_page_and_the_api_the_same_rows(
    client_for, province_supervisor, county_a, county_b, behaviour
):
    other = Behaviour.objects.create(name="吃拿卡要", actor=SYSTEM)
    rows = [
        (behaviour, county_a, "criticism"),
        (other, county_a, "reminder"),
        (behaviour, county_b, "reminder"),
    ]
    recorded = [record(b, unit, action, day) for day, (b, unit, action) in enumerate(rows, 1)]
    negative.set_published(recorded[2], actor=SYSTEM, published=True)
    client = client_for(province_supervisor)
    for query in [
        "",
        f"behaviour={behaviour.pk}",
        f"unit={county_a.pk}",
        f"unit={county_b.pk}&behaviour={behaviour.pk}",
        "action=reminder",
        "published=true",
        "published=false&action=reminder",
        f"behaviour={other.pk}&unit={county_b.pk}",
    ]:
        assert page_ids(client, query) == api_ids(province_supervisor, query), query
    assert page_ids(client, f"behaviour={behaviour.pk}") == [recorded[2].pk, recorded[0].pk]


def test_an_invalid_id_is_named_on_the_page_and_refused_by_the_api(
    client_for, province_supervisor, county_a, behaviour
):
    v = record(behaviour, county_a, "criticism", 1)
    client = client_for(province_supervisor)
    for bad in ["abc", "-1", "1.5", "99999999999999999999"]:
        response = client.get(reverse("supervision:violation_list"), {"behaviour": bad})
        assert response.status_code == 200
        assert "筛选条件“负面行为”无效" in response.content.decode()
        assert [row.pk for row in response.context["page"]] == [v.pk]  # left out
        api = APIClient()
        api.force_authenticate(province_supervisor)
        response = api.get("/api/violations/", {"unit": bad})
        assert response.status_code == 400 and "unit" in response.json()
