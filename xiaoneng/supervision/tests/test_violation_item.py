"""A violation can be tied to the item it was found on, by the item's code, within scope."""

import datetime as dt

import pytest
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Violation

pytestmark = pytest.mark.django_db


def make_item(actor, unit, title):
    return services.assign_item(
        actor=actor,
        kind="problem",
        title=title,
        lead_unit=unit,
        assigned_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=30),
    )


def post(client, behaviour, unit, item_code):
    return client.post(
        reverse("supervision:violation_create"),
        {
            "behaviour": behaviour.pk,
            "unit": unit.pk,
            "item": item_code,
            "date": "2026-05-01",
            "facts": "整改推诿",
            "action": "criticism",
        },
    )


def test_it_links_the_item_from_its_page(client_for, province_supervisor, county_a, behaviour):
    item = make_item(province_supervisor, county_a, "窗口推诿")
    c = client_for(province_supervisor)
    page = c.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    link = f"{reverse('supervision:violation_create')}?item={item.pk}"
    assert link in page
    form = c.get(link).context["form"]
    assert form.initial["item"] == item.code and form.initial["unit"] == county_a.pk
    r = post(c, behaviour, county_a, item.code)
    assert r.status_code == 302, r.content.decode()
    v = Violation.objects.get()
    assert v.item == item
    assert item.code in c.get(reverse("supervision:violation_detail", args=[v.pk])).content.decode()


def test_an_item_outside_the_scope_is_refused_like_a_missing_one(
    province_supervisor, county_a, county_b, client_for, behaviour
):
    elsewhere = make_item(province_supervisor, county_b, "五华区的事项")
    supervisor_a = make_user("xs_xn2", county_a, "supervisor", name="西山督查")
    c = client_for(supervisor_a)
    outside = post(c, behaviour, county_a, elsewhere.code)
    missing = post(c, behaviour, county_a, "WT-0000-999999")
    assert outside.status_code == missing.status_code == 200
    assert outside.context["form"].errors["item"] == missing.context["form"].errors["item"]
    assert not Violation.objects.exists()
    # The item page's pre-fill ignores an item the user cannot see.
    form = c.get(f"{reverse('supervision:violation_create')}?item={elsewhere.pk}").context["form"]
    assert "item" not in form.initial


def test_handlers_see_no_link_to_record_a_violation(
    client_for, province_supervisor, handler_a, county_a
):
    item = make_item(province_supervisor, county_a, "窗口推诿")
    page = client_for(handler_a).get(reverse("supervision:item_detail", args=[item.pk]))
    assert reverse("supervision:violation_create") not in page.content.decode()
