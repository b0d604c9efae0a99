"""The person pickers' search (/accounts/members/): the active members of one unit that the
user may see, by user name or name."""

import pytest
from django.urls import reverse

from xiaoneng.conftest import make_user

pytestmark = pytest.mark.django_db
URL = reverse("accounts:members")


def found(client, **params) -> list[str]:
    r = client.get(URL, params)
    assert r.status_code == 200
    return [row["value"] for row in r.json()["results"]]


def test_it_lists_the_units_active_members(client_for, province_supervisor, handler_a, admin_a):
    gone = make_user("xs_gone", handler_a.unit, "handler", name="钱离职")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    c = client_for(province_supervisor)
    assert found(c, unit=handler_a.unit_id) == ["xs_cb", "xs_admin"]  # 周承办, 孙管理 by name
    assert found(c, unit=handler_a.unit_id, q="周") == ["xs_cb"]
    assert found(c, unit=handler_a.unit_id, q="ADMIN") == ["xs_admin"]
    row = c.get(URL, {"unit": handler_a.unit_id, "q": "xs_cb"}).json()["results"][0]
    assert row["label"] == "周承办（xs_cb）"


def test_only_the_chosen_unit_not_its_subtree(client_for, province_supervisor, handler_a):
    c = client_for(province_supervisor)
    assert found(c, unit=handler_a.unit.parent_id) == []


def test_the_outsider_finds_nobody_in_county_a(client_for, handler_b, handler_a):
    c = client_for(handler_b)
    assert found(c, unit=handler_a.unit_id) == []
    assert found(c, unit=handler_b.unit_id) == ["wh_cb"]


@pytest.mark.parametrize("unit", ["", "abc", "-3", "99999999999999999999"])
def test_no_unit_or_a_bad_one_finds_nobody(client_for, province_supervisor, unit):
    assert found(client_for(province_supervisor), unit=unit) == []


def test_a_resident_may_not_look_up_people(client_for, county_a):
    resident = make_user("jm", county_a, "resident")
    assert client_for(resident).get(URL, {"unit": county_a.pk}).status_code == 403
