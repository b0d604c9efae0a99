import datetime as dt

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db(transaction=True)


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_it_creates_with_working_days_and_returns_the_deadline(province_supervisor, county_a):
    r = api(province_supervisor).post(
        "/api/items/",
        {
            "kind": "task",
            "title": "国庆前后",
            "lead_unit": county_a.pk,
            "assigned_on": "2022-09-29",
            "deadline_workdays": 10,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["deadline"] == "2022-10-18" and r.json()["code"].startswith("DB-2022-")


def test_it_runs_transitions_progress_urges_and_children(province_supervisor, handler_a, county_a):
    from xiaoneng.conftest import make_unit
    from xiaoneng.units.models import Level

    street = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    sup, h = api(province_supervisor), api(handler_a)
    created = sup.post(
        "/api/items/",
        {
            "kind": "problem",
            "title": "问题",
            "lead_unit": county_a.pk,
            "deadline": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
        },
        format="json",
    ).json()
    pk, version = created["id"], created["version"]
    # A write looks its row up among those the caller may take it on: the handler may not
    # review, so the item is not found for an approval (as on the page).
    assert (
        h.post(
            f"/api/items/{pk}/transitions/",
            {"action": "approve", "version": version},
            format="json",
        ).status_code
        == 404
    )
    r = h.post(
        f"/api/items/{pk}/transitions/",
        {"action": "acknowledge", "comment": "收到", "version": version},
        format="json",
    )
    assert r.json()["status"] == "acknowledged"
    progress = {"percent": 30, "comment": "推进", "version": r.json()["version"]}
    r = h.post(f"/api/items/{pk}/progress/", progress, format="json")
    assert r.json()["progress"] == 30 and r.json()["status"] == "in_progress"
    r = sup.post(f"/api/items/{pk}/urges/", {"comment": "快"}, format="json")
    assert r.status_code == 201 and r.json()["urge_count"] == 1
    r = h.post(f"/api/items/{pk}/children/", {"units": [street.pk]}, format="json")
    assert r.status_code == 201 and len(r.json()) == 1
    assert len(h.get(f"/api/items/{pk}/children/").json()) == 1
    version = h.get(f"/api/items/{pk}/").json()["version"]
    plan = {"action": "submit_plan", "version": version}
    r = h.post(f"/api/items/{pk}/transitions/", plan, format="json")
    assert r.status_code == 400 and "不能" in str(r.json())
    listed = sup.get("/api/items/?light=green&kind=problem").json()
    assert listed["count"] >= 1


def test_it_records_and_lists_violations(province_supervisor, county_a, handler_b, behaviour):
    r = api(province_supervisor).post(
        "/api/violations/",
        {
            "behaviour": behaviour.pk,
            "unit": county_a.pk,
            "date": "2026-05-01",
            "facts": "事实",
            "action": "criticism",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert api(handler_b).get("/api/violations/").json()["count"] == 0


def test_unit_ids_outside_the_scope_cannot_be_probed(county_a, county_b):
    from xiaoneng.conftest import make_user

    supervisor_b = make_user("wh_xn", county_b, "supervisor")
    client = api(supervisor_b)

    def assign_to(unit_id):
        return client.post(
            "/api/items/",
            {"kind": "task", "title": "越界交办", "lead_unit": unit_id, "deadline": "2030-01-01"},
            format="json",
        )

    outside, missing = assign_to(county_a.pk), assign_to(999999)
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["lead_unit"] == [
        m.replace("999999", str(county_a.pk)) for m in missing.json()["lead_unit"]
    ]
    assert assign_to(county_b.pk).status_code == 201


def test_another_countys_item_is_not_found_in_chinese(make_item, handler_b):
    item = make_item()
    for url in (f"/api/items/{item.pk}/", "/api/items/999999/"):
        r = api(handler_b).get(url)
        assert r.status_code == 404
        assert r.json() == {"detail": "找不到该对象，或不在您的查看范围内。"}
    r = api(handler_b).post(
        f"/api/items/{item.pk}/transitions/", {"action": "acknowledge"}, format="json"
    )
    assert r.status_code == 404
