"""A violation names a person by account (scoped to the violating unit's subtree) or by name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoneng.conftest import make_user
from xiaoneng.supervision import negative
from xiaoneng.supervision.models import Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_b(county_b):
    return make_user("wh_xn", county_b, "supervisor", name="五华督查")


def form_data(behaviour, unit, **extra):
    data = {
        "behaviour": behaviour.pk,
        "unit": unit.pk,
        "date": "2026-05-01",
        "facts": "群众反映供水问题推诿40天",
        "action": "criticism",
    }
    data.update(extra)
    return data


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_it_links_a_picked_account_and_shows_it(
    client_for, province_supervisor, county_a, handler_a, handler_b, behaviour
):
    c = client_for(province_supervisor)
    r = c.post(
        reverse("supervision:violation_create"),
        form_data(behaviour, county_a, person=handler_a.username),
    )
    assert r.status_code == 302, r.content.decode()
    v = Violation.objects.get()
    assert v.person == handler_a and v.person_name == ""
    listed = c.get(reverse("supervision:violation_list")).content.decode()
    assert "周承办" in listed
    assert "周承办" in c.get(reverse("supervision:violation_detail", args=[v.pk])).content.decode()
    negative.set_published(v, actor=province_supervisor, published=True)
    board = client_for(handler_b).get(reverse("supervision:exposure_board")).content.decode()
    assert "周承办" in board


def test_the_free_text_name_still_works_without_an_account(
    client_for, province_supervisor, county_a, behaviour
):
    c = client_for(province_supervisor)
    r = c.post(
        reverse("supervision:violation_create"), form_data(behaviour, county_a, person_name="张某")
    )
    assert r.status_code == 302
    v = Violation.objects.get()
    assert v.person is None and v.person_name == "张某"
    assert "张某" in c.get(reverse("supervision:violation_list")).content.decode()


def test_an_account_outside_my_scope_is_refused_like_a_missing_one(
    client_for, county_a, county_b, handler_a, handler_b, behaviour
):
    supervisor_a = make_user("xs_xn", county_a, "supervisor")
    c = client_for(supervisor_a)
    outsider = c.post(
        reverse("supervision:violation_create"),
        form_data(behaviour, county_a, person=handler_b.username),
    )
    missing = c.post(
        reverse("supervision:violation_create"),
        form_data(behaviour, county_a, person="nobody-here"),
    )
    assert outsider.status_code == missing.status_code == 200
    assert outsider.context["form"].errors["person"] == missing.context["form"].errors["person"]
    assert "找不到该账号" in outsider.context["form"].errors["person"][0]
    assert not Violation.objects.exists()


def test_an_account_outside_the_violating_unit_is_refused(
    client_for, province_supervisor, county_a, handler_b, behaviour
):
    # Visible to the provincial supervisor, but a member of county B, not of county A.
    r = client_for(province_supervisor).post(
        reverse("supervision:violation_create"),
        form_data(behaviour, county_a, person=handler_b.username),
    )
    assert r.status_code == 200
    assert "不属于所选单位" in r.context["form"].errors["person"][0]
    assert not Violation.objects.exists()


def test_the_service_refuses_what_the_form_would(
    county_a, county_b, handler_a, handler_b, behaviour
):
    supervisor_a = make_user("xs_xn", county_a, "supervisor")
    fields = {
        "behaviour": behaviour,
        "unit": county_a,
        "date": "2026-05-01",
        "facts": "事实",
        "action": "criticism",
    }
    with pytest.raises(ValidationError) as exc:
        negative.record_violation(actor=supervisor_a, person=handler_b, **fields)
    assert "找不到该账号" in exc.value.message_dict["person"][0]
    v = negative.record_violation(actor=supervisor_a, person=handler_a, **fields)
    assert v.person == handler_a


def test_the_api_accepts_an_account_in_scope_and_shows_it(
    province_supervisor, county_a, handler_a, behaviour
):
    c = api(province_supervisor)
    r = c.post(
        "/api/violations/",
        form_data(behaviour, county_a, person=handler_a.pk),
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["person"] == handler_a.pk and r.json()["person_display"] == "周承办"
    assert Violation.objects.get().person == handler_a
    listed = c.get("/api/violations/").json()["results"][0]
    assert listed["person"] == handler_a.pk and listed["person_display"] == "周承办"


def test_the_api_answers_an_account_out_of_scope_like_a_missing_id(
    county_a, county_b, handler_a, handler_b, behaviour
):
    supervisor_a = make_user("xs_xn", county_a, "supervisor")
    c = api(supervisor_a)
    missing_id = max(handler_a.pk, handler_b.pk) + 1000
    outsider = c.post(
        "/api/violations/", form_data(behaviour, county_a, person=handler_b.pk), format="json"
    )
    missing = c.post(
        "/api/violations/", form_data(behaviour, county_a, person=missing_id), format="json"
    )
    assert outsider.status_code == missing.status_code == 400
    assert outsider.json()["person"] == [
        m.replace(str(missing_id), str(handler_b.pk)) for m in missing.json()["person"]
    ]
    assert not Violation.objects.exists()


def test_the_api_refuses_an_account_outside_the_violating_unit(
    province_supervisor, county_a, handler_b, behaviour
):
    r = api(province_supervisor).post(
        "/api/violations/", form_data(behaviour, county_a, person=handler_b.pk), format="json"
    )
    assert r.status_code == 400 and "不属于所选单位" in r.json()["person"][0]
    assert not Violation.objects.exists()
