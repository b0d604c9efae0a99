"""The pickers (core.widgets) on the forms and filters that use them: they render what is
chosen by its path, post the field's own name and ids, and the forms accept what they post."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from xiaoneng.accounts.models import User
from xiaoneng.conftest import make_unit
from xiaoneng.supervision.models import Item, Violation
from xiaoneng.units.models import Kind, Level

pytestmark = pytest.mark.django_db
IN_30_DAYS = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def hidden_values(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)


@pytest.fixture
def street(county_a):
    return make_unit("530112007", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)


def test_the_assign_form_is_made_of_pickers(client_for, province_supervisor, county_a):
    page = (
        client_for(province_supervisor)
        .get(reverse("supervision:item_create") + f"?lead_unit={county_a.pk}")
        .content.decode()
    )
    assert 'id="id_lead_unit" role="combobox"' in page
    assert 'id="id_co_units" role="combobox"' in page
    assert 'id="id_responsible" role="combobox"' in page
    assert not re.search(r'<select[^>]*name="(lead_unit|co_units)"', page)
    # The chosen lead unit: a chip with its path and a hidden input of the field's name.
    assert hidden_values(page, "lead_unit") == [str(county_a.pk)]
    assert "昆明市 › 西山区" in page
    assert 'data-source="/units/search/?action=assign"' in page
    assert 'data-depends="lead_unit"' in page
    assert "xiaoneng/picker.js" in page and "xiaoneng/picker.css" in page


def test_what_the_pickers_post_assigns_the_item(
    client_for, province_supervisor, county_a, county_b, street, handler_a
):
    c = client_for(province_supervisor)
    r = c.post(
        reverse("supervision:item_create"),
        {
            "kind": "task",
            "title": "背街小巷整治",
            "source": "superior",
            "lead_unit": county_a.pk,
            "co_units": [county_b.pk, street.pk],
            "responsible": handler_a.username,
            "deadline_mode": "date",
            "deadline": IN_30_DAYS,
            "urgency": "normal",
        },
    )
    assert r.status_code == 302, r.content.decode()
    item = Item.objects.get()
    assert item.lead_unit == county_a and item.responsible == handler_a
    assert set(item.co_units.all()) == {county_b, street}


def test_a_refused_post_keeps_the_chosen_units_as_chips(
    client_for, province_supervisor, county_a, county_b
):
    r = client_for(province_supervisor).post(
        reverse("supervision:item_create"),
        {"kind": "task", "lead_unit": county_a.pk, "co_units": [county_b.pk], "title": ""},
    )
    page = r.content.decode()
    assert r.status_code == 200 and not Item.objects.exists()
    assert hidden_values(page, "lead_unit") == [str(county_a.pk)]
    assert hidden_values(page, "co_units") == [str(county_b.pk)]


def test_a_unit_outside_the_assigners_reach_is_refused_and_not_shown(
    client_for, county_a, county_b
):
    from xiaoneng.conftest import make_user

    county_supervisor = make_user("xs_xn", county_a, "supervisor")
    r = client_for(county_supervisor).post(
        reverse("supervision:item_create"),
        {
            "kind": "task",
            "title": "越权交办",
            "source": "superior",
            "lead_unit": county_a.pk,
            "co_units": [county_b.pk],
            "deadline_mode": "date",
            "deadline": IN_30_DAYS,
            "urgency": "normal",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and not Item.objects.exists()
    assert "五华区" not in page and hidden_values(page, "co_units") == []


def test_the_responsible_person_is_shown_by_name_only_to_who_may_see_them(
    client_for, province_supervisor, county_a, handler_a, handler_b
):
    url = reverse("supervision:item_create")
    page = client_for(province_supervisor).post(url, {"responsible": "xs_cb"}).content.decode()
    assert "周承办（xs_cb）" in page
    from xiaoneng.conftest import make_user

    county_supervisor = make_user("wh_xn", handler_b.unit, "supervisor")
    page = client_for(county_supervisor).post(url, {"responsible": "xs_cb"}).content.decode()
    assert "周承办" not in page  # typed by hand, shown as typed, never resolved


def test_the_person_form_posts_the_unit_id(client_for, province_supervisor, street):
    c = client_for(province_supervisor)
    page = c.get(reverse("accounts:user_create")).content.decode()
    assert 'id="id_unit" role="combobox"' in page
    assert 'data-source="/units/search/?action=manage_users"' in page
    r = c.post(
        reverse("accounts:user_create"),
        {"username": "yc_xn", "name": "吴效能", "unit": street.pk, "roles": ["supervisor"]},
    )
    assert r.status_code == 302, r.content.decode()
    assert User.objects.get(username="yc_xn").unit == street


def test_the_violation_form_posts_the_unit_id(client_for, province_supervisor, county_a):
    from xiaoneng.supervision.models import Behaviour

    behaviour = Behaviour.objects.first() or Behaviour.objects.create(name="推诿扯皮", actor=None)
    c = client_for(province_supervisor)
    page = c.get(reverse("supervision:violation_create")).content.decode()
    assert 'data-source="/units/search/?action=record_violation"' in page
    r = c.post(
        reverse("supervision:violation_create"),
        {
            "behaviour": behaviour.pk,
            "unit": county_a.pk,
            "person_name": "某某",
            "date": dt.date.today().isoformat(),
            "facts": "推诿群众诉求",
            "action": "reminder",
        },
    )
    assert r.status_code == 302, r.content.decode()
    assert Violation.objects.get().unit == county_a


def test_list_filters_show_the_chosen_unit_by_its_path(
    client_for, province_supervisor, county_a, street
):
    c = client_for(province_supervisor)
    for url, name in [
        (reverse("supervision:item_list"), "unit"),
        (reverse("accounts:user_list"), "unit"),
        (reverse("units:list"), "within"),
        (reverse("supervision:violation_list"), "unit"),
    ]:
        page = c.get(url, {name: street.pk}).content.decode()
        assert hidden_values(page, name) == [str(street.pk)], url
        assert "昆明市 › 西山区 › 永昌街道" in page, url
        assert "xiaoneng/picker.js" in page, url


def test_the_filters_never_show_the_outsider_a_unit_of_county_a(client_for, handler_b, street):
    c = client_for(handler_b)
    for url, name in [
        (reverse("supervision:item_list"), "unit"),
        (reverse("units:list"), "within"),
    ]:
        page = c.get(url, {name: street.pk}).content.decode()
        assert "永昌街道" not in page and hidden_values(page, name) == [], url


def test_the_people_and_units_lists_filter_by_subtree(
    client_for, province_supervisor, county_a, county_b, street, handler_a, handler_b
):
    from xiaoneng.conftest import make_user

    make_user("yc_cb", street, "handler", name="吴承办")
    c = client_for(province_supervisor)
    people = c.get(reverse("accounts:user_list"), {"unit": county_a.pk}).content.decode()
    assert "xs_cb" in people and "yc_cb" in people and "wh_cb" not in people
    units = c.get(reverse("units:list"), {"within": county_a.pk}).content.decode()
    assert ">永昌街道</a>" in units and ">五华区</a>" not in units
    assert c.get(reverse("units:list"), {"q": "ycjd"}).context["page"].paginator.count == 1


def test_the_unit_form_chooses_the_parent_with_a_picker(client_for, admin_a, county_a):
    c = client_for(admin_a)
    page = c.get(reverse("units:create") + f"?parent={county_a.pk}").content.decode()
    assert 'data-source="/units/search/?action=manage_units"' in page
    assert hidden_values(page, "parent") == [str(county_a.pk)]
    r = c.post(
        reverse("units:create"),
        {
            "code": "530112008",
            "name": "碧鸡街道",
            "level": "township",
            "kind": "street",
            "parent": county_a.pk,
            "sort": 0,
        },
    )
    assert r.status_code == 302, r.content.decode()
